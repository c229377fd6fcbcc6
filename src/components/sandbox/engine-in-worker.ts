/**
 * The engine's side of the Worker (engine.worker.ts loads it): the engine, unchanged, for every
 * sandbox on the page. It checks handler syntax, runs one sandbox at a time, streams samples and
 * events, and beats a heartbeat so the page can tell a long run from a handler stuck in an endless
 * loop. Handler code never runs on this
 * global object (lambda/isolation.ts): it cannot reach `postMessage` below.
 *
 * The heartbeat also watches for a handler that keeps yielding while it threatens the tab: one that
 * allocates (`setInterval(() => hog.push(new Array(2e5).fill(1.5)), 1)`) or spins in a fast timer
 * keeps the heartbeat going while the tab heads for a crash or the run for hours. runaway-watch.ts
 * says when to stop such a run, and why.
 */
import { runSandbox } from '../../run/run.ts';
import { preloadServices } from '../../run/services.ts';
import { compileHandler } from '../../engine/lambda/modules.ts';
import { handlerTimerWork } from '../../engine/lambda/environment.ts';
import { RunawayWatch } from './runaway-watch.ts';
import { createWorkerHost } from '../../engine/host/worker.ts';
import type { LogEvent } from '../../engine/metrics/metrics.ts';
import type { FromWorker, SourcePosition, ToWorker } from './protocol.ts';

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);

let current: { id: number; abort: AbortController } | undefined;

const heartbeatMs = 200;

/** The Worker's JavaScript heap, where the browser reports it (a non-standard Chromium API, absent in Workers today). */
function heapBytes(): number | undefined {
  const memory = (performance as { memory?: { usedJSHeapSize?: number } }).memory;
  return typeof memory?.usedJSHeapSize === 'number' ? memory.usedJSHeapSize : undefined;
}

class RunawayError extends Error {
  override name = 'RunawayError';
}
/** The run PostgreSQL is loading for; 0 while a prefetch loads it for no run yet, which the page does not hear of. */
let progressTarget = 0;
const host = createWorkerHost((progress) => {
  if (progressTarget) post({ type: 'loading', id: progressTarget, progress });
});

/** Where a compiler error points, from sucrase's `loc` or its "(line:column)" suffix; both 1-based. */
function positionOf(error: unknown): SourcePosition | undefined {
  const loc = (error as { loc?: { line?: number; column?: number } }).loc;
  if (loc && typeof loc.line === 'number') return { line: loc.line, column: loc.column ?? 1 };
  const match = String((error as Error)?.message ?? '').match(/\((\d+):(\d+)\)\s*$/);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

function describe(error: unknown) {
  const err = error instanceof Error ? error : new Error(String(error));
  const position = positionOf(err);
  return { name: err.name, message: err.message, ...(position ? { position } : {}) };
}

async function run(id: number, request: Extract<ToWorker, { type: 'run' }>['request']) {
  const abort = new AbortController();
  current = { id, abort };
  progressTarget = id;
  // Events are batched per frame-sized slice so a busy second does not flood the page.
  let pending: LogEvent[] = [];
  const flush = () => {
    if (pending.length) post({ type: 'events', id, events: pending });
    pending = [];
  };
  const watch = new RunawayWatch(performance.now(), handlerTimerWork());
  const heartbeat = setInterval(() => {
    flush();
    const heap = heapBytes();
    post({ type: 'heartbeat', id, ...(heap !== undefined ? { heapBytes: heap } : {}) });
    const runaway = watch.beat(performance.now(), handlerTimerWork(), heap);
    if (runaway) abort.abort(new RunawayError(runaway));
  }, heartbeatMs);
  post({ type: 'started', id });
  try {
    const report = await runSandbox(host, request, {
      signal: abort.signal,
      onSample: (sample) => {
        watch.virtualSecondDone();
        flush();
        post({ type: 'sample', id, sample });
      },
      onEvent: (event) => {
        pending.push(event);
      },
    });
    flush();
    post({ type: 'done', id, report });
  } catch (error) {
    flush();
    const reason: unknown = abort.signal.reason;
    if (abort.signal.aborted) post({ type: 'stopped', id, ...(reason instanceof RunawayError ? { reason: reason.message } : {}) });
    else post({ type: 'failed', id, error: describe(error) });
  } finally {
    clearInterval(heartbeat);
    // A superseded run ends while its successor starts a database: only the last run prepares the next.
    if (current?.id === id) {
      current = undefined;
      host.prepareNextRun();
    }
  }
}

/** Handles one message from the page, in the order the page sent them. */
export function receive(message: ToWorker): void {
  switch (message.type) {
    case 'check': {
      try {
        compileHandler(message.source, message.fileName);
        post({ type: 'checked', id: message.id });
      } catch (error) {
        const { message: text, position } = describe(error);
        post({ type: 'checked', id: message.id, error: { message: text, ...(position ? { position } : {}) } });
      }
      break;
    }
    case 'run':
      if (current) current.abort.abort(new Error('superseded by a new run'));
      void run(message.id, message.request);
      break;
    case 'stop':
      if (current?.id === message.id) current.abort.abort(new Error('stopped by the reader'));
      break;
    case 'prefetch': {
      host.prefetch();
      const { definition, files } = message.sandbox;
      const handler = definition.variants[0] && files[definition.variants[0].handler];
      if (handler !== undefined) preloadServices(definition, files, handler, (bundle) => host.sdkSource(bundle));
      break;
    }
  }
}
