/** The proxy-iam sandbox: the exact error texts the chapter quotes. */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { runSandbox } from '../../src/run/run.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

const ID = 'proxy-iam';


describe('proxy-iam: what the proxy logs when it refuses the INIT token', () => {
  it('names the expiry, about 15 minutes after the token was signed', async () => {
    const report = await runSandbox(nodeHost, { sandbox: loadSandbox(ID), variant: 'token-at-init' });
    const first = report.events.entries.find((e) => e.source === 'proxy' && e.kind === 'auth-failed');
    expect(first?.text).toMatch(/token expired \d+ s ago \(signed at 2026-01-01T00:0\d:\d\d\.000Z, valid 900 s\)/);
    expect(first!.t).toBeGreaterThan(900_000);
    expect(first!.t).toBeLessThan(960_000);
    expect(report.errors.map((e) => e.message)).toEqual(['The IAM authentication failed for the role app. Check the IAM token for this role and try again.']);
  }, 120_000);
});
