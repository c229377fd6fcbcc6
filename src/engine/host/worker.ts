/**
 * The browser host: the engine in a dedicated Web Worker. `pg` arrives as texts bundled at build time
 * and PGlite starts from a data directory initialised at build time (see browser-assets.node.ts). The
 * Worker downloads PGlite's files itself, so the page can show the bytes as they arrive, and keeps
 * them (and the compiled WebAssembly) for every later run. It also starts each run's database ahead
 * of the Run that takes it (see `spare`).
 */
import { PGlite } from '@electric-sql/pglite';
import pgSources from 'virtual:connlab/pg-source';
import { downloadPostgres, onDownloadProgress, startedDownload, type LoadProgress, type PostgresFiles } from './postgres-download.ts';
import type { EngineHost } from './host.ts';
import type { SdkBundle } from './sdk-packages.ts';

// Bundled Node packages (pg among them) reach the global object as `global`, which Workers lack.
(globalThis as { global?: unknown }).global ??= globalThis;

/**
 * PGlite starts downloading initdb's WebAssembly (0.3 MB) unless it is handed a module, even when
 * it starts from a data directory and never runs initdb. An empty module (the 8-byte header alone)
 * stands in: it is never instantiated, because the data directory is already initialised.
 */
const noInitdb = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

/**
 * A database started ahead of the Run that takes it. Starting PostgreSQL (instantiating its
 * WebAssembly, unpacking the data directory, the backend's own start) was most of the time between
 * Run and the first chart point, so it happens while the reader reads: after a prefetch and after
 * each run. Every run still gets a database of its own, fresh from the same data directory, and only
 * one waits at a time, started once the previous run has closed its own.
 */
let spare: Promise<PGlite> | undefined;

function startDatabase({ wasm, fsBundle, dataDir }: PostgresFiles): Promise<PGlite> {
  return PGlite.create({ pgliteWasmModule: wasm, fsBundle, ...(dataDir ? { loadDataDir: dataDir, initdbWasmModule: noInitdb } : {}) });
}

function startSpare(loaded: Promise<PostgresFiles>): void {
  spare ??= loaded.then(startDatabase);
  // A spare that fails is no failure: the Run starts its own database and says what went wrong.
  spare.catch(() => {});
}

/** Each SDK bundle is a chunk of its own, fetched by the first run whose handlers import it. */
async function sdkSource(bundle: SdkBundle): Promise<string> {
  switch (bundle) {
    case 'rds-data':
      return (await import('virtual:connlab/aws-sdk/rds-data')).default;
    case 'dynamodb':
      return (await import('virtual:connlab/aws-sdk/dynamodb')).default;
    case 'sqs':
      return (await import('virtual:connlab/aws-sdk/sqs')).default;
    case 'secrets-manager':
      return (await import('virtual:connlab/aws-sdk/secrets-manager')).default;
  }
}

/**
 * One macrotask turn, as cheap as the browser makes it. A default run takes some 43,000 of them
 * (the scheduler's settle after each event): a task posted with `scheduler.postTask` costs 16 µs in
 * a Chromium Worker, a `MessageChannel` round trip 22 µs (Node's setImmediate: 4 µs). The channel
 * stays for browsers without the Prioritized Task Scheduling API; setTimeout(0) would be clamped to
 * 4 ms when nested. postTask's default priority ('user-visible') keeps the turn behind tasks
 * already queued (a heartbeat, the page's Stop), as the channel's messages did.
 */
function macrotaskTurn(): () => Promise<void> {
  const scheduler = (globalThis as { scheduler?: { postTask?(task: () => void): Promise<void> } }).scheduler;
  if (scheduler?.postTask) return () => scheduler.postTask!(() => {});
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
}

export interface WorkerHost extends EngineHost {
  /** Downloads and compiles PostgreSQL at low priority, then starts the next run's database. */
  prefetch(): void;
  /** Starts the next run's database once no run holds one, if PostgreSQL is already here (no download). */
  prepareNextRun(): void;
}

export function createWorkerHost(onProgress: (progress: LoadProgress) => void = () => {}): WorkerHost {
  onDownloadProgress(onProgress);
  return {
    pgSource: async () => pgSources,
    sdkSource,
    prefetch() {
      // A failed prefetch is no failure: the next Run downloads again and says what went wrong.
      startSpare(downloadPostgres('low'));
    },
    prepareNextRun() {
      const loaded = startedDownload();
      if (loaded) startSpare(loaded);
    },
    async createDatabase() {
      const started = spare;
      spare = undefined;
      const loaded = await downloadPostgres('auto');
      onProgress({ phase: 'start' });
      const db = (await started?.catch(() => undefined)) ?? (await startDatabase(loaded));
      onProgress({ phase: 'ready' });
      return db;
    },
    yieldMacrotask: macrotaskTurn(),
    wallClock: () => performance.now(),
    // A handler's forgotten rejection ends its own environment, as in Lambda, not the Worker.
    onUnhandledRejection(listener) {
      const handle = (event: PromiseRejectionEvent) => {
        event.preventDefault();
        listener(event.reason);
      };
      self.addEventListener('unhandledrejection', handle);
      return () => self.removeEventListener('unhandledrejection', handle);
    },
  };
}
