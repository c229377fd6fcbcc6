/**
 * The browser host: the engine in a dedicated Web Worker. `pg` arrives as texts bundled at build time
 * and PGlite starts from a data directory initialised at build time (see browser-assets.node.ts). The
 * Worker downloads PGlite's files itself, so the page can show the bytes as they arrive, and keeps
 * them (and the compiled WebAssembly) for every later run. It also starts each run's database ahead
 * of the Run that takes it (see `spare`).
 */
import { PGlite } from '@electric-sql/pglite';
import pgSources from 'virtual:connlab/pg-source';
import postgresFiles, { type PostgresFile } from 'virtual:connlab/postgres-files';
import { BytesBlob } from './bytes-blob.ts';
import type { EngineHost } from './host.ts';
import type { SdkBundle } from './sdk-packages.ts';

// Bundled Node packages (pg among them) reach the global object as `global`, which Workers lack.
(globalThis as { global?: unknown }).global ??= globalThis;

export interface LoadProgress {
  /** download: fetching PostgreSQL's files; start: PostgreSQL starting; ready: the database is up. */
  phase: 'download' | 'start' | 'ready';
  loadedBytes?: number;
  totalBytes?: number;
}

interface PostgresFiles {
  wasm: WebAssembly.Module;
  fsBundle: Blob;
  dataDir: Blob | undefined;
}

let files: Promise<PostgresFiles> | undefined;

/**
 * PGlite starts downloading initdb's WebAssembly (0.3 MB) unless it is handed a module, even when
 * it starts from a data directory and never runs initdb. An empty module (the 8-byte header alone)
 * stands in: it is never instantiated, because the data directory is already initialised.
 */
const noInitdb = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

/**
 * Downloads every file in parallel, reporting the bytes received across all of them. The bytes
 * counted are decoded ones, against sizes known at build time: a host that compresses sends a
 * Content-Length of the compressed body (or none), which the body read here never adds up to.
 * The WebAssembly is compiled as it arrives (compileStreaming), so on a slow network the module is
 * ready when its last byte is, instead of compiling 9 MB after it.
 */
async function loadFiles(priority: RequestPriority, onProgress: (progress: LoadProgress) => void): Promise<PostgresFiles> {
  const { wasm: wasmFile, fsBundle: fsBundleFile, dataDir: dataDirFile } = postgresFiles;
  // In this order: the indexes below count each file's bytes.
  const all = [wasmFile, fsBundleFile, ...(dataDirFile ? [dataDirFile] : [])];
  const loaded = all.map(() => 0);
  const totalBytes = all.reduce((sum, file) => sum + file.bytes, 0);
  const body = async ({ url }: PostgresFile, index: number): Promise<ReadableStream<Uint8Array>> => {
    const response = await fetch(url, { priority });
    if (!response.ok || !response.body) throw new Error(`could not load ${url}: HTTP ${response.status}`);
    return response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          loaded[index]! += chunk.byteLength;
          onProgress({ phase: 'download', loadedBytes: loaded.reduce((sum, bytes) => sum + bytes, 0), totalBytes });
          controller.enqueue(chunk);
        },
      }),
    );
  };
  // Held as bytes in the Worker, not as Blobs the browser keeps (see BytesBlob).
  const blob = async (index: number) => new BytesBlob(new Uint8Array(await new Response(await body(all[index]!, index)).arrayBuffer()));
  // compileStreaming takes a Response of type application/wasm; the counted stream is rewrapped as one.
  const compiled = async () => WebAssembly.compileStreaming(new Response(await body(wasmFile, 0), { headers: { 'Content-Type': 'application/wasm' } }));
  const [wasm, fsBundle, dataDir] = await Promise.all([compiled(), blob(1), dataDirFile ? blob(2) : undefined]);
  return { wasm, fsBundle, dataDir };
}

/**
 * PostgreSQL's files, downloaded and compiled once per Worker. A prefetch (a sandbox nearing the
 * viewport) asks at low priority, so the page's own requests go first; a Run during it waits for
 * the same downloads, and its progress shows what is left.
 */
function postgresFilesOnce(priority: RequestPriority, onProgress: (progress: LoadProgress) => void): Promise<PostgresFiles> {
  files ??= loadFiles(priority, onProgress).catch((error: unknown) => {
    files = undefined; // a failed download is retried on the next run
    throw error;
  });
  return files;
}

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

export interface WorkerHost extends EngineHost {
  /** Downloads and compiles PostgreSQL at low priority, then starts the next run's database. */
  prefetch(): void;
  /** Starts the next run's database once no run holds one, if PostgreSQL is already here (no download). */
  prepareNextRun(): void;
}

export function createWorkerHost(onProgress: (progress: LoadProgress) => void = () => {}): WorkerHost {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    pgSource: async () => pgSources,
    sdkSource,
    prefetch() {
      // A failed prefetch is no failure: the next Run downloads again and says what went wrong.
      startSpare(postgresFilesOnce('low', onProgress));
    },
    prepareNextRun() {
      if (files) startSpare(files);
    },
    async createDatabase() {
      const started = spare;
      spare = undefined;
      const loaded = await postgresFilesOnce('auto', onProgress);
      onProgress({ phase: 'start' });
      const db = (await started?.catch(() => undefined)) ?? (await startDatabase(loaded));
      onProgress({ phase: 'ready' });
      return db;
    },
    // One macrotask turn; setTimeout(0) would be clamped to 4 ms when nested.
    yieldMacrotask: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      }),
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
