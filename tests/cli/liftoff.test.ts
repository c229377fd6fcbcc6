/**
 * `connlab simulate` and `connlab arena` run in a child `node --liftoff-only` (src/cli/liftoff.ts):
 * which commands do, and that the parent is transparent to a shell (the child's exit code, a signal
 * passed on rather than a child left running).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIFTOFF_ONLY, wantsLiftoffChild } from '../../src/cli/liftoff.ts';

const root = new URL('../..', import.meta.url).pathname;

/** The command lines of this machine's processes that hold `marker`. */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (line.includes(marker)) found.push(line);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

describe('the Liftoff-only child', () => {
  it('is wanted for the commands that run a simulation to its end, once', () => {
    expect(wantsLiftoffChild(['simulate', 'aurora-dsql'], [])).toBe(true);
    expect(wantsLiftoffChild(['arena'], [])).toBe(true);
    expect(wantsLiftoffChild(['simulate', 'aurora-dsql'], [LIFTOFF_ONLY])).toBe(false);
    for (const argv of [['serve', 'dynamodb'], ['proxy'], ['list'], ['generate', '--list'], ['--help'], []]) expect(wantsLiftoffChild(argv, [])).toBe(false);
  });

  it('runs the simulation with --liftoff-only, and a SIGTERM to connlab ends it too', async () => {
    const marker = `${Date.now() % 1_000_000_000}`;
    const parent = spawn(process.execPath, ['bin/connlab.mjs', 'simulate', 'aurora-dsql', '--seed', marker], { cwd: root, stdio: 'ignore' });
    const child = await new Promise<string>((resolve, reject) => {
      const look = setInterval(() => {
        const line = processesWith(marker).find((cmd) => cmd.includes(LIFTOFF_ONLY));
        if (line) resolve(line);
        if (parent.exitCode !== null) reject(new Error('connlab ended before its child was seen'));
        if (line || parent.exitCode !== null) clearInterval(look);
      }, 50);
    });
    expect(child).toContain('simulate aurora-dsql');
    const ended = new Promise<NodeJS.Signals | null>((resolve) => parent.once('exit', (_code, signal) => resolve(signal)));
    parent.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    expect(processesWith(marker)).toEqual([]);
  }, 60_000);
});
