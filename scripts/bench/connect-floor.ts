/**
 * Floors with the real `pg` driver talking straight to PGlite (issue 16's engine bench): what a
 * handler's own database work costs without the engine around it, over an in-memory stream PGlite
 * answers: no virtual clock, network, TLS, Lambda or metrics, and trust authentication (the start-up
 * reply is PGlite's own, taken once, as the engine's server does).
 * - `connectPerOperation`, for a handler that connects per invocation: a plain query loop is no floor
 *   for such a run, since the driver's connect and end cost more than PGlite's lookup does.
 * - `pooledQueries`, for a handler with a module-level pool: its own queries, as many at once as it
 *   sends them, through one `pg.Pool` of its size, so PGlite parses, plans and answers the same
 *   statements over the same protocol path (pg's Parse/Bind/Describe/Execute/Sync) as in the run.
 */
import { Duplex } from 'node:stream';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { startupPacket } from '../../src/engine/postgres/wire.ts';
// The engine's own round trip, so the floor takes PGlite's path as the virtual server does.
import { roundTrip } from '../../src/engine/postgres/server.ts';

/** pg's socket: the start-up answered from `startupReply`, every batch up to a Sync or a Query by PGlite. */
class PGliteStream extends Duplex {
  readonly #db: PGlite;
  readonly #startupReply: Buffer;
  #started = false;
  #buffered = Buffer.alloc(0);
  #batch: Buffer[] = [];

  constructor(db: PGlite, startupReply: Buffer) {
    super();
    this.#db = db;
    this.#startupReply = startupReply;
  }

  connect(): this {
    queueMicrotask(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  // A pool refs a connection while a query runs on it and unrefs it when idle; nothing waits on this stream's handle.
  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (!this.#started) {
      this.#started = true;
      this.push(this.#startupReply);
      done();
      return;
    }
    this.#buffered = Buffer.concat([this.#buffered, chunk]);
    void this.#drain().then(() => done(), done);
  }

  async #drain(): Promise<void> {
    while (this.#buffered.length >= 5) {
      const length = this.#buffered.readInt32BE(1);
      if (this.#buffered.length < 1 + length) return;
      const message = this.#buffered.subarray(0, 1 + length);
      this.#buffered = this.#buffered.subarray(1 + length);
      const type = String.fromCharCode(message[0]!);
      if (type === 'X') {
        this.push(null);
        return;
      }
      this.#batch.push(message);
      if (type === 'S' || type === 'Q') {
        const batch = Buffer.concat(this.#batch);
        this.#batch = [];
        this.push(await roundTrip(this.#db, batch));
      }
    }
  }
}

/** PGlite's answer to the start-up packet, which every connection of a floor is sent. */
async function startupReplyOf(db: PGlite): Promise<Buffer> {
  return roundTrip(db, startupPacket({ user: 'postgres', database: 'postgres', client_encoding: 'UTF8' }));
}

/** `count` connect–lookup–end cycles of `pg` against `db` (its `orders` table), as connect-per-invocation handlers make them. */
export async function connectPerOperation(db: PGlite, count: number): Promise<void> {
  const startupReply = await startupReplyOf(db);
  for (let i = 0; i < count; i++) {
    const client = new pg.Client({ user: 'postgres', database: 'postgres', stream: () => new PGliteStream(db, startupReply) } as never);
    await client.connect();
    await client.query('SELECT id, status FROM orders WHERE id = $1', [1 + (i % 1000)]);
    await client.end();
  }
}

/** A pooled handler's pool and what one invocation sends: its statements, each with the invocation's key as `$1`, all at once. */
export interface PooledHandlerQueries {
  /** The handler's own pool options (`max`, its timeouts: pg arms a timer per query for `query_timeout`, and pg-pool one per idle client). */
  pool: Readonly<{ max: number; idleTimeoutMillis?: number; connectionTimeoutMillis?: number; query_timeout?: number }>;
  statements: readonly string[];
}

/** `count` invocations' queries through one `pg.Pool` against `db` (its `orders` table's keys), as a pooled handler sends them. */
export async function pooledQueries(db: PGlite, count: number, handler: PooledHandlerQueries): Promise<void> {
  const startupReply = await startupReplyOf(db);
  const pool = new pg.Pool({ ...handler.pool, user: 'postgres', database: 'postgres', stream: () => new PGliteStream(db, startupReply) } as never);
  for (let i = 0; i < count; i++) {
    const key = 1 + (i % 1000);
    await Promise.all(handler.statements.map((sql) => pool.query(sql, [key])));
  }
  await pool.end();
}
