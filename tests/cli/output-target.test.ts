/**
 * `connlab generate` checks where it writes before the first byte (src/cli/output-target.ts): a
 * folder it may not write into is refused with exit 2 and one line, and nothing in or next to it
 * changes. The tests run as root, for whom permission bits do not bite, so the CLI runs here as the
 * unprivileged user `nobody` (Node switches user before it loads the CLI), as a reader's shell would.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/connlab.mjs');
const NOBODY = 65534;
const run = promisify(execFile);

/** The CLI as `nobody` (or as the current user, when that is not root). */
async function connlabAsNobody(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const start = `if (process.getuid() === 0) { process.setgid(${NOBODY}); process.setuid(${NOBODY}); }
    process.argv = [process.argv[0], ${JSON.stringify(BIN)}, ...${JSON.stringify(args)}];
    await import(${JSON.stringify(BIN)});`;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', start], { encoding: 'utf8', timeout: 90_000, cwd: tmpdir() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number | string; stdout: string; stderr: string; killed?: boolean };
    return { code: failed.killed ? -1 : Number(failed.code), stdout: failed.stdout, stderr: failed.stderr };
  }
}

function expectRefused(result: { code: number; stderr: string }, contains: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/^ {4}at /m);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toContain(contains);
}

const generateFlags = ['generate', '--pattern', 'module-pool', '--runtime', 'nodejs24.x', '--language', 'javascript', '--auth', 'secrets-manager', '--iac', 'aws-cli'];

/** Every file under `dir` with its content, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('connlab generate: an output path it cannot write', () => {
  let dir: string;
  let readOnly: string;
  let before: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'connlab-target-'));
    chmodSync(dir, 0o755);
    readOnly = join(dir, 'read-only');
    mkdirSync(join(readOnly, 'empty'), { recursive: true });
    writeFileSync(join(readOnly, 'project.zip'), 'an earlier zip');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'writable'));
    chmodSync(join(dir, 'writable'), 0o777);
    chmodSync(join(readOnly, 'empty'), 0o555);
    chmodSync(readOnly, 0o555);
    before = snapshot(dir);
  });
  afterAll(() => chmodSync(readOnly, 0o755));

  it('writes where the user may (the control: the CLI runs as nobody and works)', async () => {
    const result = await connlabAsNobody([...generateFlags, '--out', join(dir, 'writable', 'project')]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(dir, 'writable', 'project'))).toContain('README.md');
  });

  it.each([
    ['--out, a new folder inside a read-only one', ['--out', 'read-only/project'], 'read-only/project cannot be written: {dir}/read-only is not writable'],
    ['--out, a new folder several levels down', ['--out', 'read-only/a/b/project'], 'read-only/a/b/project cannot be written: {dir}/read-only is not writable'],
    ['--out, an empty read-only folder', ['--out', 'read-only/empty'], 'read-only/empty cannot be written: {dir}/read-only/empty is not writable'],
    ['--zip, a new file in a read-only folder', ['--zip', 'read-only/new.zip'], 'read-only/new.zip cannot be written: {dir}/read-only is not writable'],
    ['--zip --force over a file in a read-only folder', ['--zip', 'read-only/project.zip', '--force'], 'read-only/project.zip cannot be written: {dir}/read-only is not writable'],
    ['--zip --force under a file (ENOTDIR)', ['--zip', 'notes.txt/a/project.zip', '--force'], '{dir}/notes.txt is a file, not a folder'],
    ['--out --force under a file (ENOTDIR)', ['--out', 'notes.txt/project', '--force'], '{dir}/notes.txt is a file, not a folder'],
  ])('refuses %s with exit 2, one line, nothing changed', async (_name, args, message) => {
    const absolute = args.map((arg) => (arg.startsWith('--') ? arg : join(dir, arg)));
    expectRefused(await connlabAsNobody([...generateFlags, ...absolute]), message.replaceAll('{dir}', dir));
    const after = snapshot(dir);
    expect(Object.fromEntries(Object.entries(after).filter(([file]) => !file.startsWith(join(dir, 'writable'))))).toEqual(Object.fromEntries(Object.entries(before).filter(([file]) => !file.startsWith(join(dir, 'writable')))));
  });
});
