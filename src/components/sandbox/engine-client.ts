/**
 * The page's side of the engine Worker: one Worker for every sandbox on the page, created on the
 * first Run and reused, with a watchdog. A handler that never yields (`while (true) {}`) or a Worker
 * that dies stops sending heartbeats; the watchdog then terminates it, says what happened, and the
 * next Run starts a fresh Worker. Every message from the Worker is checked (worker-messages.ts)
 * before it is used: one that does not parse is an engine error, said as such, and ends the Worker.
 */
import type { RunRequest } from '../../run/run.ts';
import type { SandboxSource } from '../../sandboxes/schema.ts';
import type { RunReport } from '../../run/report.ts';
import type { LogEvent } from '../../engine/metrics/metrics.ts';
import type { ChartSample } from '../../engine/metrics/sampler.ts';
import type { LoadProgress } from '../../engine/host/postgres-download.ts';
import type { FromWorker, SourcePosition, ToWorker } from './protocol.ts';
import type { ReadMessage } from './worker-messages.ts';

/**
 * No message from a running Worker for this long means it is stuck (heartbeats come every 200 ms). It
 * must also outlast the longest honest step on a slow phone or a busy machine (compiling the AWS SDK
 * a handler imports, a cold start's burst): at 2 s honest runs were stopped on a loaded machine.
 */
const watchdogMs = 5000;
/** Starting PostgreSQL (WebAssembly compilation, or initdb without a snapshot) may block longer. */
const startupWatchdogMs = 30_000;
/** Stop must take effect quickly; a Worker that has not stopped by then is terminated. */
const stopGraceMs = 400;

export interface RunHandlers {
  onLoading?(progress: LoadProgress): void;
  onStarted?(): void;
  onSample?(sample: ChartSample): void;
  onEvents?(events: LogEvent[]): void;
  onDone(report: RunReport): void;
  onFailed(error: { name: string; message: string; position?: SourcePosition }): void;
  onStopped(reason: string): void;
}

export interface CheckResult {
  message: string;
  position?: SourcePosition;
}

interface ActiveRun {
  id: number;
  handlers: RunHandlers;
  lastHeard: number;
  databaseReady: boolean;
  stopTimer?: ReturnType<typeof setTimeout>;
}

let worker: Worker | undefined;
let reader: Promise<(data: unknown) => ReadMessage> | undefined;
let nextId = 1;
let active: ActiveRun | undefined;
const checks = new Map<number, (result: CheckResult | undefined) => void>();
let watchdog: ReturnType<typeof setInterval> | undefined;

function send(message: ToWorker): void {
  ensureWorker().postMessage(message);
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const created = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'connlab-engine' });
  worker = created;
  // The checker loads with the first message from the Worker (or a prefetch), so zod stays out of
  // the page until a Run, a check or a prefetch; messages wait for it in order.
  created.addEventListener('message', (event: MessageEvent<unknown>) => {
    void messageReader().then((read) => {
      if (worker === created) accept(read(event.data));
    });
  });
  created.addEventListener('error', (event) => {
    event.preventDefault();
    discardWorker(`The engine stopped unexpectedly${event.message ? `: ${event.message}` : ''}. A fresh one starts on the next Run.`);
  });
  return created;
}

function messageReader(): Promise<(data: unknown) => ReadMessage> {
  reader ??= import('./worker-messages.ts').then((module) => module.readWorkerMessage);
  return reader;
}

function discardWorker(reason: string): void {
  worker?.terminate();
  worker = undefined;
  for (const resolve of checks.values()) resolve(undefined);
  checks.clear();
  const run = active;
  finish();
  run?.handlers.onStopped(reason);
}

function finish(): void {
  if (active?.stopTimer) clearTimeout(active.stopTimer);
  active = undefined;
  if (watchdog) clearInterval(watchdog);
  watchdog = undefined;
}

function accept(read: ReadMessage): void {
  if (read.ok) receive(read.message);
  else discardWorker(`The run was stopped: the engine sent a message the page could not read (${read.problem}). A fresh engine starts on the next Run.`);
}

function receive(message: FromWorker): void {
  if (message.type === 'checked') {
    checks.get(message.id)?.(message.error);
    checks.delete(message.id);
    return;
  }
  if (!active || message.id !== active.id) return;
  active.lastHeard = performance.now();
  const { handlers } = active;
  switch (message.type) {
    case 'loading':
      if (message.progress.phase === 'ready') active.databaseReady = true;
      handlers.onLoading?.(message.progress);
      break;
    case 'started':
      handlers.onStarted?.();
      break;
    case 'sample':
      handlers.onSample?.(message.sample);
      break;
    case 'events':
      handlers.onEvents?.(message.events);
      break;
    case 'heartbeat':
      break;
    case 'done':
      finish();
      handlers.onDone(message.report);
      break;
    case 'failed':
      finish();
      handlers.onFailed(message.error);
      break;
    case 'stopped':
      finish();
      handlers.onStopped(message.reason ?? 'Stopped.');
      break;
  }
}

/**
 * Has the page's Worker (created now if need be) start loading PostgreSQL and what a run of
 * `sandbox` loads on demand, ahead of a Run; the page loads its own checker of the Worker's
 * messages, which a Run needs before its first chart point.
 */
export function prefetchPostgres(sandbox: SandboxSource): void {
  send({ type: 'prefetch', sandbox });
  void messageReader();
}

/** Compiles the handler in the Worker; resolves with the first syntax error, or undefined. */
export function checkHandler(source: string, fileName: string): Promise<CheckResult | undefined> {
  const id = nextId++;
  return new Promise((resolve) => {
    checks.set(id, resolve);
    send({ type: 'check', id, source, fileName });
  });
}

/** Starts a run; a run already going (in any sandbox on the page) is stopped first. */
export function startRun(request: RunRequest, handlers: RunHandlers): { stop(): void } {
  if (active) {
    // The Worker's reply for the replaced run names an id no longer active and is dropped, so the
    // replaced run is told here, and its watchdog goes, or its sandbox would wait forever.
    const replaced = active;
    send({ type: 'stop', id: replaced.id });
    finish();
    replaced.handlers.onStopped('Stopped: another sandbox on this page started a run.');
  }
  const id = nextId++;
  active = { id, handlers, lastHeard: performance.now(), databaseReady: false };
  send({ type: 'run', id, request });
  watchdog = setInterval(() => {
    if (active && performance.now() - active.lastHeard > (active.databaseReady ? watchdogMs : startupWatchdogMs)) {
      discardWorker(
        `The run was stopped: the engine did not respond for ${watchdogMs / 1000} s. A handler that never yields (an endless loop) or that uses up memory does this. The sandbox has a fresh engine; fix the code and run again.`,
      );
    }
  }, 250);
  return { stop: () => stopRun(id, 'Stopped.') };
}

function stopRun(id: number, reason: string): void {
  if (!active || active.id !== id) return;
  send({ type: 'stop', id });
  const run = active;
  run.stopTimer = setTimeout(() => {
    if (active === run) discardWorker(`${reason} The engine did not stop in time, so it was restarted.`);
  }, stopGraceMs);
}
