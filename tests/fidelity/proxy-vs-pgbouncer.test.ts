/**
 * The proxy model against a real pooler. The same workload (N `pg` clients running transactions)
 * goes through real PgBouncer in transaction mode and through `connlab proxy`, each in front of the
 * same real PostgreSQL 15 with the same pool size: server-side connections (pg_stat_activity) stay
 * within the pool on both and every query succeeds. Then where they differ: a session `SET` pins the
 * client on the proxy (its next statement sees the setting, nobody else does), while PgBouncer's
 * transaction mode hands the changed server connection to the next client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startRealPostgres, type RealPostgres } from '../support/postgres.ts';
import { startPgBouncer, type RealPgBouncer } from '../support/pgbouncer.ts';
import { startConnlabProxy, type RunningProxy } from '../support/connlab-proxy.ts';

const MAX_CONNECTIONS = 40;
const POOL = 5;
// MaxDatabaseConnectionsAllowed = floor(40 × 15 %) − 1 kept by the proxy = 5, PgBouncer's pool size.
const PERCENT = 15;
const CLIENTS = 30;
const TRANSACTIONS = 5;

let postgres: RealPostgres;
let bouncer: RealPgBouncer;
let proxy: RunningProxy;
let sampler: pg.Client;

beforeAll(async () => {
  postgres = await startRealPostgres({ settings: { max_connections: MAX_CONNECTIONS } });
  postgres.psql('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0);');
  bouncer = await startPgBouncer(postgres, { poolMode: 'transaction', users: { postgres: 'postgres' }, defaultPoolSize: POOL, maxClientConn: 100 });
  proxy = await startConnlabProxy(postgres, ['--max-connections-percent', String(PERCENT)]);
  sampler = new pg.Client({ host: postgres.host, port: postgres.port, user: 'postgres', password: 'postgres', database: 'postgres' });
  await sampler.connect();
}, 90_000);

afterAll(async () => {
  await sampler?.end().catch(() => {});
  await proxy?.stop();
  await bouncer?.stop();
  postgres?.stop();
});

const via = (port: number) => ({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });

/** Server-side client backends of one pooler: the proxy's log in as application_name `rds-proxy`. */
async function serverConnections(pooler: 'proxy' | 'pgbouncer'): Promise<number> {
  const { rows } = await sampler.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name ${pooler === 'proxy' ? '=' : '<>'} 'rds-proxy'`,
  );
  return rows[0]!.n;
}

async function workload(pooler: 'proxy' | 'pgbouncer', port: number, counter: number): Promise<{ peakServerConnections: number; failures: number; total: number }> {
  let peak = 0;
  let sampling = true;
  const sampled = (async () => {
    while (sampling) {
      peak = Math.max(peak, await serverConnections(pooler));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  let failures = 0;
  const clients = Array.from({ length: CLIENTS }, () => new pg.Client(via(port)));
  await Promise.all(clients.map((c) => c.connect()));
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < TRANSACTIONS; i++) {
        try {
          await client.query('BEGIN');
          await client.query('UPDATE counters SET n = n + 1 WHERE id = $1', [counter]);
          await client.query('SELECT pg_sleep(0.005)');
          await client.query('COMMIT');
        } catch {
          failures++;
        }
      }
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  sampling = false;
  await sampled;
  const { rows } = await sampler.query<{ n: number }>('SELECT n FROM counters WHERE id = $1', [counter]);
  return { peakServerConnections: peak, failures, total: rows[0]!.n };
}

describe('the same transactions through PgBouncer (transaction mode) and connlab proxy', () => {
  /** Every transaction committed, over more than one server connection but no more than the pool. */
  const expectPooled = (result: Awaited<ReturnType<typeof workload>>) => {
    expect(result.failures).toBe(0);
    expect(result.total).toBe(CLIENTS * TRANSACTIONS);
    expect(result.peakServerConnections).toBeLessThanOrEqual(POOL);
    expect(result.peakServerConnections).toBeGreaterThan(1);
  };

  it('PgBouncer keeps server connections within its pool and every transaction commits', async () => {
    expectPooled(await workload('pgbouncer', bouncer.port, 1));
  }, 60_000);

  it('connlab proxy keeps server connections within MaxDatabaseConnectionsAllowed and every transaction commits', async () => {
    expect(proxy.output()).toContain(`MaxDatabaseConnectionsAllowed ${POOL}`);
    expectPooled(await workload('proxy', proxy.port, 2));
  }, 60_000);
});

describe('where they differ: session state', () => {
  const sessionSet = async (port: number) => {
    const a = new pg.Client(via(port));
    const b = new pg.Client(via(port));
    await a.connect();
    await b.connect();
    await a.query("SET statement_timeout = '1234ms'");
    const seenByB = (await b.query('SHOW statement_timeout')).rows[0].statement_timeout as string;
    const seenByA = (await a.query('SHOW statement_timeout')).rows[0].statement_timeout as string;
    await a.end();
    await b.end();
    return { seenByA, seenByB };
  };

  it("PgBouncer's transaction mode hands A's SET to client B, whose next statement runs on the same server connection", async () => {
    const { seenByB } = await sessionSet(bouncer.port);
    expect(seenByB).toBe('1234ms');
  }, 30_000);

  it('connlab proxy pins A to its connection: A keeps its setting, B never sees it, and the pin is logged', async () => {
    const { seenByA, seenByB } = await sessionSet(proxy.port);
    expect(seenByA).toBe('1234ms');
    expect(seenByB).toBe('0');
    await proxy.waitFor(/pinned: SET \(session parameter\): SET statement_timeout = '1234ms'/);
  }, 30_000);
});
