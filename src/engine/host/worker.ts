/**
 * The browser host: the engine in a dedicated Web Worker. `pg` arrives as texts bundled at build time
 * and PGlite starts from a data directory initialised at build time (see browser-assets.ts).
 */
import { PGlite } from '@electric-sql/pglite';
import pgSources from 'virtual:connlab/pg-source';
import dataDirUrl from 'virtual:connlab/pglite-datadir';
import type { EngineHost } from './host.ts';

// Bundled Node packages (pg among them) reach the global object as `global`, which Workers lack.
(globalThis as { global?: unknown }).global ??= globalThis;

export interface LoadProgress {
  /** download: fetching the data directory; start: PostgreSQL starting; ready: the database is up. */
  phase: 'download' | 'start' | 'ready';
  loadedBytes?: number;
  totalBytes?: number;
}

let dataDir: Promise<Blob | undefined> | undefined;

async function download(url: string, onProgress: (progress: LoadProgress) => void): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress({ phase: 'download', loadedBytes: loaded, ...(total ? { totalBytes: total } : {}) });
  }
  return new Blob(chunks as BlobPart[]);
}

export function createWorkerHost(onProgress: (progress: LoadProgress) => void = () => {}): EngineHost {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    pgSource: async () => pgSources,
    async createDatabase() {
      dataDir ??= dataDirUrl ? download(dataDirUrl, onProgress) : Promise.resolve(undefined);
      const dump = await dataDir;
      onProgress({ phase: 'start' });
      const db = await (dump ? PGlite.create({ loadDataDir: dump }) : PGlite.create());
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
  };
}
