/**
 * The probes of issue 11 (points 7 and 8), run as a reader runs them (`node bin/connlab.mjs`): every
 * one exits 2 with one line on stderr and no stack trace, and no file is lost.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { expectUsageError, runNode } from '../support/connlab-process.ts';

const BIN = join(import.meta.dirname, '../../bin/connlab.mjs');
const connlab = (args: string[]) => runNode([BIN, ...args], tmpdir());

const generateFlags = ['generate', '--pattern', 'rds-proxy', '--runtime', 'nodejs24.x', '--language', 'typescript', '--auth', 'iam', '--iac', 'aws-cli'];

describe('hostile command lines', () => {
  it.each([
    [['toString'], "unknown command 'toString'"],
    [['constructor'], "unknown command 'constructor'"],
    [['__proto__'], "unknown command '__proto__'"],
    [['hasOwnProperty'], "unknown command 'hasOwnProperty'"],
    [['serve', '__proto__', '--port', '0'], "unknown service '__proto__'"],
    [['serve', 'toString'], "unknown service 'toString'"],
    [['serve', 'dynamodb', '--port', ''], '--port needs a value'],
    [['proxy', '--target', 'postgres://user:pass@127.0.0.1:5432/%ZZ'], 'a % in the user, password or database must start an escape'],
    [['proxy', '--target', 'postgres://us%ZZer:pass@127.0.0.1:5432/db'], 'a % in the user, password or database must start an escape'],
    [['arena', '--requests-per-month', '1e309'], "--requests-per-month must be a number from 1 to 9007199254740991, got '1e309'"],
    [['arena', '--set', '__proto__=1'], "unknown parameter '__proto__'"],
    [['simulate', 'direct-connection', '--set', 'constructor=1'], "unknown parameter 'constructor'"],
    [['simulate', 'toString'], "unknown sandbox 'toString'"],
    [['doctor', '__proto__'], "cannot read '__proto__': no such file or folder"],
    [['doctor', '/proc/self/status'], "'/proc/self/status' is in no language the doctor reads"],
    [['doctor', join(import.meta.dirname, '../doctor/corpus/clean-module-pool.mjs'), '--fail-on', 'toString'], "--fail-on must be one of error, warning, never, got 'toString'"],
    [['doctor', join(import.meta.dirname, '../doctor/corpus/clean-module-pool.mjs'), '--concurrency', '1e309'], "--concurrency must be an integer from 1 to 1000000, got '1e309'"],
  ])('connlab %j exits 2 with one line', async (args, contains) => {
    expectUsageError(await connlab(args), contains);
  });
});

describe('connlab generate checks its target before writing', () => {
  it('refuses an existing --zip file without --force and keeps it; overwrites it with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connlab-hostile-'));
    const zip = join(dir, 'mine.zip');
    writeFileSync(zip, 'precious');
    expectUsageError(await connlab([...generateFlags, '--zip', zip]), 'already exists; choose another name or pass --force');
    expect(readFileSync(zip, 'utf8')).toBe('precious');
    const forced = await connlab([...generateFlags, '--zip', zip, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(zip).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('refuses --out naming a file, --zip naming a folder, a path under a file, and the kernel file systems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connlab-hostile-'));
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'mine');
    mkdirSync(join(dir, 'folder'));
    const cases: Array<[string[], string]> = [
      [['--out', file], 'is a file, not a folder'],
      [['--zip', join(dir, 'folder')], 'is a folder'],
      [['--out', join(file, 'project')], `${file} is a file, not a folder`],
      [['--zip', join(file, 'project.zip')], `${file} is a file, not a folder`],
      [['--out', '/proc/self/connlab-project'], "inside the kernel's proc file system"],
      [['--out', '/proc/self/task/x/y/z'], "inside the kernel's proc file system"],
      [['--zip', '/proc/self/connlab.zip'], "inside the kernel's proc file system"],
      [['--zip', '/sys/connlab.zip'], "inside the kernel's sysfs file system"],
    ];
    // In process (the same main() the binary calls): eight more node start-ups would only cost time.
    for (const [args, contains] of cases) {
      const err: string[] = [];
      const code = await main([...generateFlags, ...args], { stdout: () => {}, stderr: (text) => void err.push(text) });
      expectUsageError({ code, stderr: `${err.join('\n')}\n` }, contains);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});
