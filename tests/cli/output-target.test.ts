/**
 * `connlab generate` checks where it writes before the first byte (src/cli/output-target.ts): a
 * folder it may not write into is refused with exit 2 and one line, and nothing in or next to it
 * changes. The tests run as root, for whom permission bits do not bite, so the CLI runs here as the
 * unprivileged user `nobody`, as a reader's shell would. `nobody` may not be able to enter the
 * checkout (a clone in a `mktemp -d` folder is 0700), so esbuild first bundles the CLI, dependencies
 * included, into a world-readable temp folder, and `nobody` runs that copy.
 * (File/folder mix-ups, /proc and an existing zip are refused for any user: hostile-arguments.test.ts.)
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, runNode, type Finished } from '../support/connlab-process.ts';

const NOBODY = 65534;

/** Every folder from `path` up to `/` must let others through, or `nobody` cannot reach the bundle. */
function assertOthersCanEnter(path: string): void {
  for (let folder = path; ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) throw new Error(`${folder} is closed to other users; point TMPDIR at a folder nobody can enter`);
    if (dirname(folder) === folder) return;
  }
}

let root: string;
let cli: string;

/** The bundled CLI as `nobody` (or as the current user, when that is not root): Node switches user before it loads the CLI. */
function connlabAsNobody(args: string[]): Promise<Finished> {
  const start = `if (process.getuid() === 0) { process.setgid(${NOBODY}); process.setuid(${NOBODY}); }
    process.argv = [process.argv[0], ${JSON.stringify(cli)}, ...${JSON.stringify(args)}];
    await import(${JSON.stringify(cli)});`;
  return runNode(['--input-type=module', '-e', start], root);
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
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'connlab-target-'));
    chmodSync(root, 0o755);
    assertOthersCanEnter(root);
    const bundle = join(root, 'cli');
    await build({ entryPoints: [join(import.meta.dirname, '../../bin/connlab.mjs')], bundle: true, splitting: true, platform: 'node', format: 'esm', outdir: bundle, logLevel: 'error' });
    cli = join(bundle, 'connlab.js');
    dir = join(root, 'targets');
    readOnly = join(dir, 'read-only');
    mkdirSync(join(readOnly, 'empty'), { recursive: true });
    writeFileSync(join(readOnly, 'project.zip'), 'an earlier zip');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'writable'));
    chmodSync(join(dir, 'writable'), 0o777);
    chmodSync(join(readOnly, 'empty'), 0o555);
    chmodSync(readOnly, 0o555);
    before = snapshot(dir);
  }, 60_000);
  afterAll(() => {
    chmodSync(readOnly, 0o755);
    chmodSync(join(readOnly, 'empty'), 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  it('writes where the user may (the control: the bundled CLI runs as nobody and works)', async () => {
    const result = await connlabAsNobody([...generateFlags, '--out', join(dir, 'writable', 'project')]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(dir, 'writable', 'project'))).toContain('README.md');
    const zipped = await connlabAsNobody([...generateFlags, '--zip', join(dir, 'writable', 'project.zip')]);
    expect(zipped.code, zipped.stderr).toBe(0);
    expect(readFileSync(join(dir, 'writable', 'project.zip')).subarray(0, 2).toString()).toBe('PK');
  });

  it.each([
    ['--out, a new folder inside a read-only one', ['--out', 'read-only/project'], 'read-only/project cannot be written: {dir}/read-only is not writable'],
    ['--out, a new folder several levels down', ['--out', 'read-only/a/b/project'], 'read-only/a/b/project cannot be written: {dir}/read-only is not writable'],
    ['--out, an empty read-only folder', ['--out', 'read-only/empty'], 'read-only/empty cannot be written: {dir}/read-only/empty is not writable'],
    ['--out --force, an empty read-only folder', ['--out', 'read-only/empty', '--force'], 'read-only/empty cannot be written: {dir}/read-only/empty is not writable'],
    ['--zip, a new file in a read-only folder', ['--zip', 'read-only/new.zip'], 'read-only/new.zip cannot be written: {dir}/read-only is not writable'],
    ['--zip --force over a file in a read-only folder', ['--zip', 'read-only/project.zip', '--force'], 'read-only/project.zip cannot be written: {dir}/read-only is not writable'],
    ['--zip --force under a file (ENOTDIR)', ['--zip', 'notes.txt/a/project.zip', '--force'], '{dir}/notes.txt is a file, not a folder'],
    ['--out --force under a file (ENOTDIR)', ['--out', 'notes.txt/project', '--force'], '{dir}/notes.txt is a file, not a folder'],
  ])('refuses %s with exit 2, one line, nothing changed', async (_name, args, message) => {
    const absolute = args.map((arg) => (arg.startsWith('--') ? arg : join(dir, arg)));
    expectUsageError(await connlabAsNobody([...generateFlags, ...absolute]), message.replaceAll('{dir}', dir));
    const outsideControl = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([file]) => !file.startsWith(join(dir, 'writable'))));
    expect(outsideControl(snapshot(dir))).toEqual(outsideControl(before));
  });
});
