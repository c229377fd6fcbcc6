/**
 * Every command and every option it declares (read from the commands' own definitions), given
 * each hostile value: prototype keys, a broken %-escape, numbers that are not (1e309, NaN, -1), a
 * huge string, nothing, paths in the kernel's file systems, existing files and folders. Each must
 * exit 2 with one line on stderr and no stack trace, and no file may change anywhere the walk can
 * write (it runs in a scratch folder and snapshots it).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands, main } from '../../src/cli/main.ts';
import type { Command } from '../../src/cli/command.ts';
import { listSandboxIds } from '../../src/sandboxes/load.node.ts';

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const NOT_NUMBERS = ['1e309', '-1e309', 'NaN', '-1', '0x', '1.5.2', ' '];
const HUGE = 'x'.repeat(200_000);

let scratch: string;
let existingFile: string;
let existingFolder: string;
let previousCwd: string;

/** Every file under `dir` with its size and a hash of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        out[`${path}/`] = 'folder';
        walk(path);
      } else out[path] = `${statSync(path).size} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'connlab-walk-'));
  existingFile = join(scratch, 'notes.txt');
  writeFileSync(existingFile, 'mine');
  existingFolder = join(scratch, 'project');
  mkdirSync(existingFolder);
  writeFileSync(join(existingFolder, 'keep.txt'), 'mine too');
  // Relative paths (`--out=1e309`) land here, inside the snapshot.
  previousCwd = process.cwd();
  process.chdir(scratch);
});
afterAll(() => process.chdir(previousCwd));

/** Values no option of the given kind accepts. */
function hostileValues(option: Command['options'][string]): string[] {
  const paths = ['/proc/self/connlab-walk', '/proc/1/task/x/y', '/sys/connlab-walk', existingFile, join(existingFile, 'child'), ''];
  if (option.value === 'path') return [...paths, existingFolder];
  const text = [...PROTOTYPE_KEYS, '%ZZ', 'postgres://u:p@127.0.0.1:5432/%ZZ', ...NOT_NUMBERS, HUGE, '', ...paths.slice(0, -1), existingFolder];
  if (option.value === 'key=value') return [...text, ...PROTOTYPE_KEYS.map((key) => `${key}=1`), `${HUGE}=1`, '=1'];
  return text;
}

/**
 * Arguments that would make each command run, so that only the hostile value is wrong. This is the
 * one thing the definitions cannot say; a command without an entry walks with no other arguments.
 */
function runnable(name: string): string[] {
  const baselines: Record<string, string[]> = {
    simulate: [listSandboxIds()[0]!],
    serve: ['dynamodb', '--port=0'],
    // Port 1 refuses the connection at once, should a hostile value ever be accepted.
    proxy: ['--target=postgres://u:p@127.0.0.1:1/db'],
    generate: ['--pattern=rds-proxy', '--runtime=nodejs24.x', '--language=typescript', '--auth=iam', '--iac=aws-cli', '--out=fresh-project'],
    // A handler with no findings: the run would exit 0, so only the hostile value can make it fail.
    doctor: [join(import.meta.dirname, '../doctor/corpus/clean-module-pool.mjs')],
  };
  return Object.hasOwn(baselines, name) ? baselines[name]! : [];
}

interface Case {
  argv: string[];
}

async function cases(): Promise<Case[]> {
  const all: Case[] = PROTOTYPE_KEYS.concat('%ZZ', HUGE, '').map((name) => ({ argv: [name] }));
  for (const [name, command] of await loadCommands()) {
    const base = runnable(name);
    const positionals = base.filter((arg) => !arg.startsWith('--'));
    const flags = base.filter((arg) => arg.startsWith('--'));
    // Each positional in turn, and one positional too many.
    for (let i = 0; i <= command.positionals.length; i++) {
      for (const value of [...PROTOTYPE_KEYS, '%ZZ', '1e309', HUGE, existingFile]) {
        const given = [...positionals.slice(0, i), value];
        if (i === command.positionals.length && given.length <= command.positionals.length) continue;
        all.push({ argv: [name, ...given, ...flags] });
      }
    }
    for (const [option, definition] of Object.entries(command.options)) {
      // A hostile output path replaces the baseline's (--out and --zip exclude each other).
      const replaced = (arg: string) => arg.startsWith(`--${option}=`) || (definition.value === 'path' && command.options[arg.slice(2).split('=')[0]!]?.value === 'path');
      const others = flags.filter((arg) => !replaced(arg));
      const values = definition.type === 'boolean' ? ['__proto__', '1', ''] : hostileValues(definition);
      for (const value of values) all.push({ argv: [name, ...positionals, ...others, `--${option}=${value}`] });
      // The separate form too, where the value does not look like an option.
      if (definition.type === 'string') all.push({ argv: [name, ...positionals, ...others, `--${option}`] });
    }
    for (const unknown of PROTOTYPE_KEYS) all.push({ argv: [name, ...positionals, ...flags, `--${unknown}=1`] });
  }
  return all;
}

const shown = (argv: string[]) => JSON.stringify(argv.map((arg) => (arg.length > 40 ? `${arg.slice(0, 40)}…(${arg.length})` : arg)));

describe('every command and option, given hostile values', () => {
  it('exits 2 with one line on stderr, no stack trace, and changes no file', async () => {
    const before = snapshot(scratch);
    const walked = await cases();
    expect(walked.length).toBeGreaterThan(200);
    const failures: string[] = [];
    for (const { argv } of walked) {
      const out: string[] = [];
      const err: string[] = [];
      let code: number;
      try {
        code = await main(argv, { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text) });
      } catch (error) {
        failures.push(`${shown(argv)} threw ${(error as Error).stack?.split('\n')[0]}`);
        continue;
      }
      const stderr = err.join('\n');
      if (code !== 2) failures.push(`${shown(argv)} exited ${code}: ${stderr.slice(0, 200)}`);
      else if (err.length !== 1 || stderr.trimEnd().includes('\n')) failures.push(`${shown(argv)} wrote ${stderr.split('\n').length} lines: ${stderr.slice(0, 200)}`);
      else if (/^ {4}at /m.test(stderr)) failures.push(`${shown(argv)} printed a stack trace`);
      else if (stderr.length > 1_200) failures.push(`${shown(argv)} echoed ${stderr.length} characters`);
      else if (out.length > 0) failures.push(`${shown(argv)} printed to stdout: ${out.join('\n').slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(snapshot(scratch)).toEqual(before);
  }, 120_000);
});
