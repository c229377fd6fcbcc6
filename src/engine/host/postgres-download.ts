/**
 * PostgreSQL's files for the browser host: PGlite's WebAssembly, its file-system bundle and the
 * initialised data directory, downloaded once per Worker. Kept apart from the host (worker.ts) and
 * from PGlite so that the Worker's first script is small: on a slow network the Worker starts these
 * downloads as soon as its small entry has arrived, while the engine (PGlite, `pg`, the simulation;
 * 0.26 MB with brotli) still loads beside them, instead of after it (engine.worker.ts).
 */
import postgresFiles, { type PostgresFile } from 'virtual:connlab/postgres-files';
import { BytesBlob } from './bytes-blob.ts';

export interface LoadProgress {
  /** download: fetching PostgreSQL's files; start: PostgreSQL starting; ready: the database is up. */
  phase: 'download' | 'start' | 'ready';
  loadedBytes?: number;
  totalBytes?: number;
}

export interface PostgresFiles {
  wasm: WebAssembly.Module;
  fsBundle: Blob;
  dataDir: Blob | undefined;
}

let files: Promise<PostgresFiles> | undefined;
/** Who hears of the bytes as they arrive: the host, once the engine has loaded (none before). */
let reportProgress: (progress: LoadProgress) => void = () => {};

/** Sends the download's progress to `listener` from now on. */
export function onDownloadProgress(listener: (progress: LoadProgress) => void): void {
  reportProgress = listener;
}

/**
 * Downloads every file in parallel, reporting the bytes received across all of them. The bytes
 * counted are decoded ones, against sizes known at build time: a host that compresses sends a
 * Content-Length of the compressed body (or none), which the body read here never adds up to.
 * The WebAssembly is compiled as it arrives (compileStreaming), so on a slow network the module is
 * ready when its last byte is, instead of compiling 9 MB after it.
 */
async function loadFiles(priority: RequestPriority): Promise<PostgresFiles> {
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
          reportProgress({ phase: 'download', loadedBytes: loaded.reduce((sum, bytes) => sum + bytes, 0), totalBytes });
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
export function downloadPostgres(priority: RequestPriority): Promise<PostgresFiles> {
  files ??= loadFiles(priority).catch((error: unknown) => {
    files = undefined; // a failed download is retried on the next run
    throw error;
  });
  return files;
}

/** The files if their download has started (and not failed), without starting one. */
export function startedDownload(): Promise<PostgresFiles> | undefined {
  return files;
}
