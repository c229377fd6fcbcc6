/** `connlab` run as a reader's shell runs it, in its own Node process, and what a refusal must look like. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const run = promisify(execFile);

export interface Finished {
  /** The exit code; -1 when the process was killed after the timeout (a hang, not a pass). */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in `cwd` to its end (killed after `timeoutMs`); a failed run is answered, not thrown. */
export async function runNode(args: string[], cwd: string, timeoutMs = 90_000): Promise<Finished> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { encoding: 'utf8', timeout: timeoutMs, cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number | string; stdout: string; stderr: string; killed?: boolean };
    return { code: failed.killed ? -1 : Number(failed.code), stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Bad usage: exit 2 and one line on stderr that says `contains`, with no stack trace. */
export function expectUsageError(result: Pick<Finished, 'code' | 'stderr'>, contains: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/^ {4}at /m);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toContain(contains);
}
