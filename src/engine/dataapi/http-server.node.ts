/**
 * `connlab serve data-api`: the Data API emulator over HTTP on 127.0.0.1, in front of a virtual
 * PostgreSQL of its own (PGlite behind the simulated server), for the AWS CLI (`--endpoint-url`) or
 * readers' own code. Node only. Signatures are not checked (there are no real credentials).
 *
 * The database runs in a worker thread (serve-worker.node.ts) and answers one request at a time, as its
 * one PGlite session must. This thread keeps the service's 45 s call timeout on the wall clock: a
 * late call gets StatementTimeoutException, and the statement is stopped the only way a PGlite
 * statement can be, by terminating the worker; a new one reopens the database from disk with every
 * committed transaction (as PostgreSQL recovers after a backend is killed: open transactions are
 * lost, their ids unknown). With continueAfterTimeout the statement runs on, up to
 * continuedStatementLimit. Meanwhile a GET still answers, and later calls wait their turn.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dataApi as facts } from '../../facts/data-api.ts';
import type { EmulatorAnswer } from '../net/emulated-http.ts';
import { listenEmulator, type HttpEndpoint } from '../net/http-endpoint.node.ts';
import { DataApiError } from './errors.ts';
import type { FromWorker, ServeWorkerData, ToWorker } from './serve-worker.node.ts';

/** What `connlab serve data-api` answers for; printed with the examples. */
export const SERVED_CLUSTER = {
  resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:connlab',
  secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:connlab-postgres',
  database: 'postgres',
} as const;

export type { HttpEndpoint };


const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

function errorAnswer(error: DataApiError): EmulatorAnswer {
  return { statusCode: error.statusCode, headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.type }, body: error.toBody() };
}

/** The worker thread that holds the database; restarted on the same folder after a terminate. */
class DatabaseWorker {
  readonly #data: ServeWorkerData;
  #worker!: Worker;
  #ready!: Promise<void>;
  readonly #waiting = new Map<number, { resolve: (answer: EmulatorAnswer) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  /** Set while this side ends the worker on purpose, so its exit does not start another. */
  #stopping = false;

  constructor(data: ServeWorkerData) {
    this.#data = data;
    this.#start();
  }

  #start(): void {
    const worker = new Worker(new URL('./serve-worker.node.ts', import.meta.url), { workerData: this.#data });
    this.#worker = worker;
    this.#ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'failed') reject(new Error(message.message));
        else if (message.kind === 'answer') {
          this.#waiting.get(message.id)?.resolve(message.answer);
          this.#waiting.delete(message.id);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        reject(new Error(`the database stopped (exit code ${code})`));
        for (const waiter of this.#waiting.values()) waiter.reject(new Error('the database stopped before answering'));
        this.#waiting.clear();
        // A worker that died on its own (not terminated here) is replaced, so the endpoint keeps serving.
        if (!this.#stopping && worker === this.#worker) this.#start();
      });
    });
    this.#ready.catch(() => {});
  }

  get ready(): Promise<void> {
    return this.#ready;
  }

  request(path: string, body: string): Promise<EmulatorAnswer> {
    const id = this.#nextId++;
    return new Promise<EmulatorAnswer>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ kind: 'request', id, path, body } satisfies ToWorker);
    });
  }

  /** Stops the statement in progress the only way PGlite allows, and reopens the database. */
  async restart(): Promise<void> {
    this.#stopping = true;
    await this.#worker.terminate();
    this.#stopping = false;
    this.#start();
  }

  /** The database folder is temporary, so there is nothing to flush: the worker just stops. */
  async close(): Promise<void> {
    this.#stopping = true;
    await this.#worker.terminate();
  }
}

const continuesAfterTimeout = (body: string): boolean => {
  try {
    return (JSON.parse(body) as { continueAfterTimeout?: unknown } | null)?.continueAfterTimeout === true;
  } catch {
    return false;
  }
};

const after = (ms: number) => {
  let timer: NodeJS.Timeout;
  const promise = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  return { promise, cancel: () => clearTimeout(timer) };
};

export async function listenDataApi(options: { port: number; host?: string; statementTimeoutMs?: number }): Promise<HttpEndpoint> {
  const statementTimeoutMs = options.statementTimeoutMs ?? facts.statementTimeout.value;
  const folder = mkdtempSync(join(tmpdir(), 'connlab-data-api-'));
  const database = new DatabaseWorker({
    dataDir: join(folder, 'pgdata'),
    resourceArn: SERVED_CLUSTER.resourceArn,
    secrets: { [SERVED_CLUSTER.secretArn]: { username: 'postgres', password: 'postgres' } },
  });

  /** Answers one call (through `reply`) and resolves when the database is free for the next. */
  async function serveOne(path: string, body: string, reply: (answer: EmulatorAnswer) => void): Promise<void> {
    try {
      await database.ready;
    } catch (error) {
      reply(errorAnswer(new DataApiError('InternalServerErrorException', `connlab: the database did not start: ${(error as Error).message}`)));
      return;
    }
    const pending = database.request(path, body).catch((error: unknown) => errorAnswer(new DataApiError('InternalServerErrorException', `connlab: ${(error as Error).message}`)));
    const timeout = after(statementTimeoutMs);
    const first = await Promise.race([pending, timeout.promise]);
    timeout.cancel();
    if (first !== 'late') {
      reply(first);
      return;
    }
    reply(errorAnswer(new DataApiError('StatementTimeoutException', 'Request timed out', { dbConnectionId: 0 })));
    if (continuesAfterTimeout(body)) {
      const limit = after(facts.continuedStatementLimit.value);
      const end = await Promise.race([pending, limit.promise]);
      limit.cancel();
      if (end !== 'late') return;
    }
    await database.restart();
  }

  let queue: Promise<void> = Promise.resolve();
  const answer = (path: string, body: string) =>
    new Promise<EmulatorAnswer>((resolve) => {
      queue = queue.then(() => serveOne(path, body, resolve));
    });

  const shutDown = async () => {
    await database.close().catch(() => {});
    rmSync(folder, { recursive: true, force: true });
  };
  let endpoint: HttpEndpoint;
  try {
    // The endpoint is announced once it can answer: the database first, then the port.
    await database.ready;
    endpoint = await listenEmulator({
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      maxRequestBytes: MAX_REQUEST_BYTES,
      healthLine: 'healthy: connlab RDS Data API emulator',
      answer: ({ path, body }) => answer(path, body),
    });
  } catch (error) {
    await shutDown();
    throw error;
  }
  return {
    url: endpoint.url,
    port: endpoint.port,
    async close() {
      await endpoint.close();
      await shutDown();
    },
  };
}
