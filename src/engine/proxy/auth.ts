/**
 * The proxy's cryptography, on WebCrypto only (the engine runs in Workers too):
 *
 * - `verifyIamToken`: what an IAM-authenticating endpoint checks in a token, a SigV4 presigned
 *   `GET /?Action=…` URL: the signature against the caller's secret key, the action and user, the
 *   host, the signing name and the expiry. RDS Proxy's (`rdsConnect`: `@aws-sdk/rds-signer`,
 *   `Action=connect&DBUser=…` for host:port, `rds-db`, 15 minutes) and Aurora DSQL's (engine/dsql)
 *   differ only in those parameters.
 * - `ScramClient`: SCRAM-SHA-256 towards a real PostgreSQL, the scheme its default pg_hba asks for.
 */
import { Buffer } from 'buffer';
import { iamToken } from '../../facts/rds-proxy.ts';

/** How one service's presigned connect tokens look. */
export interface PresignedConnect {
  /** SigV4 signing name. */
  service: string;
  /** Longest X-Amz-Expires the service accepts, in ms. */
  maxLifetimeMs: number;
  /** The Action a token for `user` must carry. */
  action(user: string): string;
  /** Whether the token names its user (RDS's DBUser), which must then be the startup packet's. */
  namesUser: boolean;
}

export const rdsConnect: PresignedConnect = { service: iamToken.service.value, maxLifetimeMs: iamToken.lifetime.value, action: () => 'connect', namesUser: true };

export interface IamCheck {
  /** Endpoint the token must be signed for, `host:port`. */
  endpoint: string;
  region: string;
  /** The user in the startup packet: the token's DBUser must match it. */
  user: string;
  /** Access key id -> secret access key: what IAM knows about the callers' (fake) credentials. */
  credentials: Readonly<Record<string, string>>;
  /** Current time, ms since the Unix epoch. */
  nowMs: number;
  /** RDS's by default. */
  kind?: PresignedConnect;
}

export type IamVerdict = { ok: true; accessKeyId: string } | { ok: false; why: string };

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
const hex = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString('hex');

async function hmac(key: Uint8Array<ArrayBuffer> | ArrayBuffer, data: string | Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  const imported = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return subtle().sign('HMAC', imported, typeof data === 'string' ? utf8(data) : data);
}

const sha256 = (data: string | Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> => subtle().digest('SHA-256', typeof data === 'string' ? utf8(data) : data);

/** SigV4's signing key for one secret and scope (a day, a region, a service), ready to sign. */
async function signingKey(secret: string, day: string, region: string, service: string): Promise<CryptoKey> {
  let key: ArrayBuffer = await hmac(utf8(`AWS4${secret}`), day);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  return subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * Signing keys by secret and scope, and expected signatures by secret and token. A run verifies
 * thousands of tokens made from a few credentials (aurora-dsql: 1,000 cold starts sign the same
 * scope in the same second, and a signer's tokens are dated to the second, so most are the same
 * token), each WebCrypto call is a round trip through the host's thread pool, and the virtual clock
 * waits for every one: the derivation alone was five of the eight calls per token. Both are pure
 * functions of their keys, so a run's results do not depend on what an earlier run of the process
 * left here.
 */
const signingKeys = new Map<string, Promise<CryptoKey>>();
const signatures = new Map<string, Promise<string>>();
/** Entries each memo holds before it starts again empty: far more than one run's distinct scopes, bounded for a long-lived Worker. */
const MEMO_LIMIT = 10_000;

function remembered<T>(memo: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let value = memo.get(key);
  if (!value) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    value = compute();
    memo.set(key, value);
    const mine = value;
    mine.catch(() => {
      if (memo.get(key) === mine) memo.delete(key);
    });
  }
  return value;
}

/** RFC 3986 encoding as SigV4 canonicalises query strings. */
const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const EMPTY_PAYLOAD = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Parses `20260101T000000Z`. */
function amzDate(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : null;
}

export async function verifyIamToken(token: string, check: IamCheck): Promise<IamVerdict> {
  const kind = check.kind ?? rdsConnect;
  const slash = token.indexOf('/?');
  if (slash < 0) return { ok: false, why: `not a presigned ${kind.service}:${kind.action(check.user)} URL` };
  const host = token.slice(0, slash);
  const pairs = token
    .slice(slash + 2)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return [decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq)), decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1))] as const;
    });
  const query = new Map(pairs);
  const credential = (query.get('X-Amz-Credential') ?? '').split('/');
  const [accessKeyId, day, region, service, terminator] = credential;
  const action = kind.action(check.user);
  if (query.get('Action') !== action) return { ok: false, why: `Action is not ${action}` };
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { ok: false, why: 'not signed with AWS4-HMAC-SHA256' };
  if (credential.length !== 5 || terminator !== 'aws4_request') return { ok: false, why: 'malformed X-Amz-Credential' };
  if (service !== kind.service) return { ok: false, why: `signed for service ${service}, not ${kind.service}` };
  if (region !== check.region) return { ok: false, why: `signed for region ${region}, not ${check.region}` };
  if (host !== check.endpoint) return { ok: false, why: `signed for ${host}, not ${check.endpoint}` };
  if (kind.namesUser && query.get('DBUser') !== check.user) return { ok: false, why: `token is for user ${query.get('DBUser')}, the connection is for ${check.user}` };
  if (query.get('X-Amz-SignedHeaders') !== 'host') return { ok: false, why: 'signed headers are not just host' };
  const signedAt = amzDate(query.get('X-Amz-Date') ?? '');
  const expires = Number(query.get('X-Amz-Expires'));
  if (signedAt === null || !day || !(query.get('X-Amz-Date') ?? '').startsWith(day)) return { ok: false, why: 'malformed X-Amz-Date' };
  if (!Number.isInteger(expires) || expires <= 0 || expires * 1000 > kind.maxLifetimeMs) return { ok: false, why: `X-Amz-Expires ${query.get('X-Amz-Expires')} is not within 1..${kind.maxLifetimeMs / 1000}` };
  if (check.nowMs > signedAt + expires * 1000) return { ok: false, why: `token expired ${Math.round((check.nowMs - signedAt - expires * 1000) / 1000)} s ago (signed at ${new Date(signedAt).toISOString()}, valid ${expires} s)` };
  if (check.nowMs < signedAt - 300_000) return { ok: false, why: 'token signed in the future' };
  const secret = accessKeyId === undefined ? undefined : check.credentials[accessKeyId];
  if (secret === undefined) return { ok: false, why: `unknown access key ${accessKeyId}` };

  // The signature a token should carry is a function of the token (all but its X-Amz-Signature) and the
  // secret, so a token seen before is checked without canonicalising or hashing it again.
  const expected = await remembered(signatures, `${secret}\n${token}`, async () => {
    const canonicalQuery = pairs
      .filter(([key]) => key !== 'X-Amz-Signature')
      .map(([key, value]) => [encode(key), encode(value)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}`, '', 'host', EMPTY_PAYLOAD].join('\n');
    const scope = `${day}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', query.get('X-Amz-Date'), scope, hex(await sha256(canonicalRequest))].join('\n');
    const key = await remembered(signingKeys, `${secret}\n${scope}`, () => signingKey(secret, day, region, service));
    return hex(await subtle().sign('HMAC', key, utf8(stringToSign)));
  });
  if (expected !== query.get('X-Amz-Signature')) return { ok: false, why: 'signature does not match' };
  return { ok: true, accessKeyId: accessKeyId! };
}

/** SCRAM-SHA-256 (RFC 7677) as a PostgreSQL client, without channel binding. */
export class ScramClient {
  readonly #password: string;
  readonly #nonce: string;
  readonly #user: string;
  #clientFirstBare = '';
  #serverSignature = '';

  /** PostgreSQL ignores the SCRAM user name (it has the startup packet's), so clients send `*`. */
  constructor(password: string, nonce: string = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(18))).toString('base64'), user = '*') {
    this.#password = password;
    this.#nonce = nonce;
    this.#user = user;
  }

  /** The SASLInitialResponse body. */
  first(): Buffer {
    this.#clientFirstBare = `n=${this.#user},r=${this.#nonce}`;
    const data = Buffer.from(`n,,${this.#clientFirstBare}`, 'utf8');
    const mechanism = Buffer.from('SCRAM-SHA-256\0', 'utf8');
    const length = Buffer.alloc(4);
    length.writeInt32BE(data.length, 0);
    return Buffer.concat([mechanism, length, data]);
  }

  /** The SASLResponse body answering AuthenticationSASLContinue's data. */
  async final(serverFirst: string): Promise<Buffer> {
    const fields = new Map(serverFirst.split(',').map((f) => [f[0], f.slice(2)] as const));
    const nonce = fields.get('r') ?? '';
    const salt = Buffer.from(fields.get('s') ?? '', 'base64');
    const iterations = Number(fields.get('i'));
    if (!nonce.startsWith(this.#nonce) || !salt.length || !iterations) throw new Error('SCRAM: malformed server-first-message');
    const passwordKey = await subtle().importKey('raw', utf8(this.#password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits']);
    const salted = await subtle().deriveBits({ name: 'PBKDF2', salt: new Uint8Array(salt), iterations, hash: 'SHA-256' }, passwordKey, 256);
    const clientKey = new Uint8Array(await hmac(salted, 'Client Key'));
    const storedKey = await sha256(clientKey);
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = new Uint8Array(await hmac(storedKey, authMessage));
    const proof = clientKey.map((byte, i) => byte ^ signature[i]!);
    this.#serverSignature = Buffer.from(await hmac(await hmac(salted, 'Server Key'), authMessage)).toString('base64');
    return Buffer.from(`${withoutProof},p=${Buffer.from(proof).toString('base64')}`, 'utf8');
  }

  /** Checks AuthenticationSASLFinal: the server knew the password too. */
  verify(serverFinal: string): boolean {
    return serverFinal.trim() === `v=${this.#serverSignature}`;
  }
}
