import { describe, expect, it } from 'vitest';
import { decodeSharedState, encodeSharedState, isSharedStateFragment } from '../../src/sandboxes/share.ts';

describe('sandbox state in a link', () => {
  it('round-trips parameters, variant and edited files', () => {
    const handler = "import pg from 'pg';\nexport const handler = async () => 'héllo ✓';\n".repeat(20);
    const hash = encodeSharedState({ sandbox: 'module-pool', variant: 'after', params: { concurrency: 500, instanceClass: 'db.t3.micro' }, files: { 'handler.mjs': handler } });
    expect(isSharedStateFragment(hash)).toBe(true);
    expect(hash).toMatch(/^#run=module-pool~[A-Za-z0-9_-]+$/);
    // Compression keeps a repetitive handler short enough for a link.
    expect(hash.length).toBeLessThan(handler.length / 4);
    const decoded = decodeSharedState(hash);
    expect(decoded).toEqual({
      ok: true,
      state: { v: 1, sandbox: 'module-pool', variant: 'after', params: { concurrency: 500, instanceClass: 'db.t3.micro' }, files: { 'handler.mjs': handler } },
    });
  });

  it('says what is wrong with a cut or tampered link', () => {
    const hash = encodeSharedState({ sandbox: 'direct-connection', params: { concurrency: 100 } });
    const cut = decodeSharedState(hash.slice(0, hash.length - 8));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.error).toMatch(/damaged/);

    const renamed = decodeSharedState(hash.replace('direct-connection', 'module-pool'));
    expect(renamed).toEqual({ ok: false, error: 'the link names sandbox module-pool but carries the state of direct-connection' });

    expect(decodeSharedState('#run=oops').ok).toBe(false);
    expect(decodeSharedState('#some-heading')).toEqual({ ok: false, error: 'expected a fragment starting with #run=' });
  });

  it('rejects state of the wrong shape, naming the field', async () => {
    const { deflateSync, strToU8 } = await import('fflate');
    const payload = Buffer.from(deflateSync(strToU8(JSON.stringify({ v: 1, sandbox: 'x', params: { concurrency: [1] } })))).toString('base64url');
    const result = decodeSharedState(`#run=x~${payload}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^params\.concurrency: /);
  });
});
