import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { decodeSharedState, encodeSharedState, inflateWithin, isSharedStateFragment } from '../../src/sandboxes/share.ts';
import { shareLinkLimits } from '../../src/sandboxes/limits.ts';
import { deflateBomb, deflateBombFragment } from '../support/deflate-bomb.ts';

const gibibyte = 2 ** 30;
const { codeCharacters, stateBytes } = shareLinkLimits;

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

  it('rejects state of the wrong shape, naming the field and what was expected', () => {
    const payload = Buffer.from(deflateSync(strToU8(JSON.stringify({ v: 1, sandbox: 'x', params: { concurrency: [1] } })))).toString('base64url');
    const result = decodeSharedState(`#run=x~${payload}`);
    expect(result.ok).toBe(false);
    expect(result).toEqual({ ok: false, error: 'params.concurrency: expected a number, a text or true/false' });
    const extra = Buffer.from(deflateSync(strToU8(JSON.stringify({ v: 1, sandbox: 'x', params: {}, script: 'alert(1)' })))).toString('base64url');
    expect(decodeSharedState(`#run=x~${extra}`)).toEqual({ ok: false, error: 'state: unknown fields script' });
  });

  it('names the limit when the shared code is too long', () => {
    const code = 'x'.repeat(codeCharacters.value + 1);
    const decoded = decodeSharedState(encodeSharedState({ sandbox: 'direct-connection', params: {}, files: { 'handler.mjs': code } }));
    expect(decoded).toEqual({ ok: false, error: 'files.handler.mjs: code is longer than 200,000 characters, the most a share link may carry' });
  });

  it('carries code at the limit even when every character needs a JSON escape', () => {
    // Control characters are escaped as six bytes each: the worst case the state limit must hold.
    const code = '\u0001'.repeat(codeCharacters.value);
    const decoded = decodeSharedState(encodeSharedState({ sandbox: 'direct-connection', params: { concurrency: 5 }, files: { 'handler.mjs': code } }));
    expect(decoded.ok && decoded.state.files?.['handler.mjs']).toBe(code);
  });

  it('stops inflating a 1 GiB deflate bomb just past the state limit', () => {
    const bomb = deflateBomb(gibibyte);
    const inflated = inflateWithin(bomb, stateBytes.value);
    expect(inflated.ok).toBe(false);
    if (inflated.ok) return;
    // It got past the limit, then stopped: the work done is a few MiB of the bomb's 1,024.
    expect(inflated.inflatedBytes).toBeGreaterThan(stateBytes.value);
    expect(inflated.inflatedBytes).toBeLessThan(2 * stateBytes.value);
  });

  it('calls a deflate bomb in a link too large, naming the limit', () => {
    expect(decodeSharedState(deflateBombFragment('direct-connection', gibibyte))).toEqual({
      ok: false,
      error: 'the encoded state expands to more than 2 MiB, the most a share link may carry; the link was not made by Copy share link',
    });
  });

  it('inflates honest data whole, and says a cut stream is damaged', () => {
    const text = 'SELECT 1;\n'.repeat(50_000);
    const compressed = deflateSync(strToU8(text));
    const whole = inflateWithin(compressed, stateBytes.value);
    expect(whole.ok && new TextDecoder().decode(whole.bytes)).toBe(text);
    expect(() => inflateWithin(compressed.subarray(0, compressed.length - 10), stateBytes.value)).toThrow();
    expect(inflateWithin(deflateSync(new Uint8Array(0)), stateBytes.value)).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });
});
