/**
 * `connlab proxy` as a child process on 127.0.0.1 in front of a RealPostgres, for a test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type RealPostgres } from './postgres.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'connlab.mjs');

export interface RunningProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The proxy process's pid (its memory is in /proc/<pid>/status). */
  readonly pid: number;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Everything printed so far. */
  output(): string;
  /** Waits until the output matches. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code and the whole output. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; output: string }>;
}

export async function startConnlabProxy(postgres: RealPostgres, args: string[] = [], user = postgres.superuser): Promise<RunningProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [BIN, 'proxy', '--listen', `127.0.0.1:${port}`, '--target', `postgres://${user.user}:${user.password}@127.0.0.1:${postgres.port}/postgres`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 20_000) => {
    const until = Date.now() + ms;
    while (!pattern.test(output)) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`connlab proxy: no ${pattern} in:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  await waitFor(/Listening on/);
  return {
    host: '127.0.0.1',
    port,
    pid: child.pid!,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    waitFor,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      return { code, output };
    },
  };
}
