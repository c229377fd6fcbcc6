/**
 * The commands that run simulations to an end (`simulate`, `arena`) boot PGlite's 9 MB of WebAssembly
 * and exit seconds later. On V8's default tiering, TurboFan recompiles PostgreSQL's hottest functions
 * in the background, and the largest of them takes seconds: on this project's 2-core machine that
 * costs more CPU than the run gains from the faster code (secret-rotation: 3.4 s of user CPU on
 * Liftoff alone against 5.4 to 6.7 s), and the process cannot exit until the compile in flight ends
 * (1.6 s of a quiet 5.2 s run after the summary was printed). V8 reads `--liftoff-only` only at start-up
 * (`v8.setFlagsFromString` is too late, NODE_OPTIONS refuses it), so these commands run in a child
 * `node --liftoff-only`. The servers (`serve`, `proxy`) stay in-process: they run until stopped, so
 * TurboFan's code pays off, and a supervisor's SIGKILL must not leave a child holding their port.
 */
import { spawn } from 'node:child_process';

export const LIFTOFF_ONLY = '--liftoff-only';
const FINITE_SIMULATIONS = new Set(['simulate', 'arena']);
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Whether this process should hand `argv` (the arguments after the script) to a Liftoff-only child. */
export function wantsLiftoffChild(argv: readonly string[], execArgv: readonly string[] = process.execArgv): boolean {
  return FINITE_SIMULATIONS.has(argv[0] ?? '') && !execArgv.includes(LIFTOFF_ONLY);
}

/**
 * Runs `script` with `argv` in `node --liftoff-only`, the terminal shared, and resolves with its exit
 * code. A signal sent to this process goes on to the child; a child killed by a signal kills this
 * process with the same signal, so a shell sees what it would have seen without the child.
 */
export function runInLiftoffChild(script: string, argv: readonly string[]): Promise<number> {
  // Listening before the child exists: a signal that came between the spawn and the listeners
  // would end this process by default and leave the child running. One that comes during the
  // (synchronous) spawn is handled after it, when `child` is set.
  let child: ReturnType<typeof spawn> | null = null;
  const forward = (signal: NodeJS.Signals) => child?.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child = spawn(process.execPath, [LIFTOFF_ONLY, ...process.execArgv, script, ...argv], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const name of FORWARDED_SIGNALS) process.off(name, forward);
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}
