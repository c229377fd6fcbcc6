/**
 * The proxy's IAM check against tokens from the real @aws-sdk/rds-signer, and its SCRAM client
 * against RFC 7677's test vector.
 */
import { describe, expect, it, vi } from 'vitest';
import { Signer } from '@aws-sdk/rds-signer';
import { ScramClient, verifyIamToken } from '../../../src/engine/proxy/auth.ts';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const hostname = 'orders-proxy.proxy-c9akciq32xyz.us-east-1.rds.amazonaws.com';
const check = (nowMs: number, overrides: object = {}) => ({ endpoint: `${hostname}:5432`, region: 'us-east-1', user: 'app', credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, nowMs, ...overrides });

async function token(username = 'app', region = 'us-east-1', port = 5432): Promise<{ token: string; signedAt: number }> {
  const signedAt = Math.floor(Date.now() / 1000) * 1000;
  const value = await new Signer({ hostname, port, username, region, credentials }).getAuthToken();
  return { token: value, signedAt };
}

describe('IAM token verification', () => {
  it('accepts a token from @aws-sdk/rds-signer for the proxy endpoint and user, throughout its 15 minutes', async () => {
    const { token: t, signedAt } = await token();
    expect(t).toContain('X-Amz-Expires=900');
    expect(await verifyIamToken(t, check(signedAt + 1_000))).toEqual({ ok: true, accessKeyId: credentials.accessKeyId });
    expect((await verifyIamToken(t, check(signedAt + 899_000))).ok).toBe(true);
  });

  it('refuses it after 15 minutes, with the reason the proxy logs', async () => {
    const { token: t, signedAt } = await token();
    const verdict = await verifyIamToken(t, check(signedAt + 902_000));
    expect(verdict).toMatchObject({ ok: false });
    expect((verdict as { why: string }).why).toMatch(/^token expired [12] s ago \(signed at .*Z, valid 900 s\)$/);
  });

  it('refuses a wrong secret key, another user, Region or endpoint, and a tampered token', async () => {
    const { token: t, signedAt } = await token();
    const now = signedAt + 1_000;
    const why = async (text: string, overrides: object = {}) => ((await verifyIamToken(text, check(now, overrides))) as { why?: string }).why;
    expect(await why(t, { credentials: { [credentials.accessKeyId]: 'not-the-secret' } })).toBe('signature does not match');
    expect(await why(t, { credentials: {} })).toBe(`unknown access key ${credentials.accessKeyId}`);
    expect(await why(t, { user: 'admin' })).toBe('token is for user app, the connection is for admin');
    expect(await why(t, { region: 'eu-west-1' })).toBe('signed for region us-east-1, not eu-west-1');
    expect(await why(t, { endpoint: `${hostname}:6432` })).toBe(`signed for ${hostname}:5432, not ${hostname}:6432`);
    expect(await why(t.replace('DBUser=app', 'DBUser=root'), { user: 'root' })).toBe('signature does not match');
    expect(await why('app-password')).toBe('not a presigned rds-db:connect URL');
  });

  it('gives the same verdicts for a token it has verified before (its memo of signatures keys on the secret too)', async () => {
    const { token: t, signedAt } = await token();
    const now = signedAt + 1_000;
    const tampered = t.replace(/X-Amz-Signature=([0-9a-f]+)/, (_all, hexits: string) => `X-Amz-Signature=${hexits.slice(0, -1)}${hexits.endsWith('0') ? '1' : '0'}`);
    for (let round = 0; round < 2; round++) {
      expect((await verifyIamToken(t, check(now))).ok).toBe(true);
      expect(await verifyIamToken(t, check(now, { credentials: { [credentials.accessKeyId]: 'not-the-secret' } }))).toEqual({ ok: false, why: 'signature does not match' });
      expect(await verifyIamToken(tampered, check(now))).toEqual({ ok: false, why: 'signature does not match' });
    }
  });
  it('checks a token it has verified before without WebCrypto: a signer dates its tokens to the second, so a thousand cold starts send one token', async () => {
    const { token: t, signedAt } = await token();
    expect((await verifyIamToken(t, check(signedAt + 1_000))).ok).toBe(true);
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    try {
      for (let i = 0; i < 3; i++) expect((await verifyIamToken(t, check(signedAt + 2_000))).ok).toBe(true);
      // The expiry is checked on every use all the same.
      expect((await verifyIamToken(t, check(signedAt + 902_000))).ok).toBe(false);
      expect(digest).not.toHaveBeenCalled();
      expect(sign).not.toHaveBeenCalled();
    } finally {
      digest.mockRestore();
      sign.mockRestore();
    }
  });
});

describe('SCRAM-SHA-256 client', () => {
  it('computes the client proof and checks the server signature of RFC 7677', async () => {
    // RFC 7677 section 3: user "user", password "pencil".
    const client = new ScramClient('pencil', 'rOprNGfwEbeRWgbNEkqO', 'user');
    expect(client.first().subarray(-'n,,n=user,r=rOprNGfwEbeRWgbNEkqO'.length).toString('utf8')).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = await client.final('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(final.toString('utf8')).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(client.verify('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).toBe(true);
    expect(client.verify('v=wrong')).toBe(false);
  });
});
