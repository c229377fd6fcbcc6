/**
 * The database side of `connlab serve data-api`, in a worker thread: the virtual PostgreSQL (PGlite
 * on disk, in the folder the HTTP side gives it) and the emulator in front of it. PGlite runs a
 * statement to its end without yielding, so it lives here, where the HTTP side can stop it
 * (Worker.terminate) without stopping itself; on disk, so that a restart recovers every committed
 * transaction as PostgreSQL does after a crash.
 *
 * The simulation's clock is kept level with the wall clock: before each request it runs up to the
 * time elapsed since start, so the 3-minute transaction timeout happens in real minutes.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { initialisedDataDir, nodeHost } from '../host/host.node.ts';
import { openWorkbench } from '../world/workbench.ts';
import { DataApiEmulator } from './emulator.ts';
import { virtualCluster } from './virtual.ts';

export interface ServeWorkerData {
  dataDir: string;
  resourceArn: string;
  secrets: Record<string, { username: string; password: string }>;
}

export type ToWorker = { kind: 'request'; id: number; path: string; body: string };
export type FromWorker = { kind: 'ready' } | { kind: 'answer'; id: number; answer: { statusCode: number; headers: Record<string, string>; body: string } } | { kind: 'failed'; message: string };

const port = parentPort!;
const options = workerData as ServeWorkerData;
const post = (message: FromWorker) => port.postMessage(message);

async function start(): Promise<void> {
  // A new folder is seeded with an initialised cluster; an existing one is reopened (and recovered).
  const seed = existsSync(options.dataDir) ? null : await initialisedDataDir();
  const host = { ...nodeHost, createDatabase: () => PGlite.create({ dataDir: options.dataDir, ...(seed ? { loadDataDir: seed } : {}) }) };
  const bench = await openWorkbench(host, { maxConnections: 100 });
  const emulator = new DataApiEmulator({
    timers: bench.timers,
    cluster: virtualCluster({ pg: bench.pg, host: bench.host, port: bench.port, resourceArn: options.resourceArn, secrets: options.secrets, endpointUnavailable: null }),
    latency: false,
  });
  const started = performance.now();
  port.on('message', (message: ToWorker) => {
    void (async () => {
      const elapsed = performance.now() - started;
      if (elapsed > bench.scheduler.now) await bench.scheduler.run({ until: elapsed });
      const answer = await bench.run(() => emulator.respond(message.path, message.body)).catch((error: unknown) => ({
        statusCode: 500,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerErrorException' },
        body: JSON.stringify({ message: `connlab: ${(error as Error).message}` }),
      }));
      post({ kind: 'answer', id: message.id, answer });
    })();
  });
  post({ kind: 'ready' });
}

start().catch((error: unknown) => post({ kind: 'failed', message: (error as Error).message }));
