/**
 * `connlab arena`: refuses bad arguments with exit code 2 and says why (the comparison itself is
 * tested in tests/sandboxes/arena.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (text: string) => void (out.stdout += `${text}\n`), stderr: (text: string) => void (out.stderr += `${text}\n`) } };
};

describe('connlab arena', () => {
  it('rejects an unknown parameter with the valid ones', async () => {
    const { out, io } = capture();
    expect(await main(['arena', '--set', 'nope=1'], io)).toBe(2);
    expect(out.stderr).toMatch(/connlab arena: .*nope/);
  });

  it('rejects a malformed --set and an unknown argument', async () => {
    const { out, io } = capture();
    expect(await main(['arena', '--set', 'concurrency'], io)).toBe(2);
    expect(await main(['arena', '--fast'], io)).toBe(2);
    expect(out.stderr).toContain('(see connlab arena --help)');
  });
});
