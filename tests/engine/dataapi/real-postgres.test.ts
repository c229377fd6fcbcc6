/**
 * The Data API emulator in front of a real PostgreSQL 15 (the real `pg` driver, wall-clock timers):
 * a statement that outlives its call is cancelled by PostgreSQL itself (the service's sessions carry
 * the call timeout as statement_timeout), unless the call asked to continue; an unknown database is
 * PostgreSQL's own 3D000. The call timeout is shortened here (it is 45 s on AWS).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiEmulator } from '../../../src/engine/dataapi/index.ts';
import type { Timers } from '../../../src/engine/clock/timers.ts';
import { virtualCluster } from '../../../src/engine/dataapi/virtual.ts';
import { startRealPostgres, type RealPostgres } from '../../support/postgres.ts';

const resourceArn = 'arn:aws:rds:us-east-1:123456789012:cluster:orders';
const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-admin';
const base = { resourceArn, secretArn, database: 'postgres' };
const wallClock: Timers = { now: () => performance.now(), setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout), random: Math.random };

let postgres: RealPostgres;
let emulator: DataApiEmulator;
beforeAll(async () => {
  postgres = await startRealPostgres();
  postgres.psql('CREATE TABLE slow_ddl_done (id int)');
  emulator = new DataApiEmulator({
    timers: wallClock,
    cluster: virtualCluster({ pg: pg as unknown as Record<string, unknown>, host: postgres.host, port: postgres.port, resourceArn, secrets: { [secretArn]: { username: postgres.superuser.user, password: postgres.superuser.password } }, endpointUnavailable: null, databases: null }),
    latency: false,
    poolConnections: 4,
    statementTimeoutMs: 500,
  });
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  postgres?.stop();
});

const call = async (body: Record<string, unknown>) => {
  const answer = await emulator.respond('/Execute', JSON.stringify({ ...base, ...body }));
  return { type: answer.headers['x-amzn-errortype'], body: JSON.parse(answer.body) as Record<string, unknown> };
};

/** Backends of the service still running `marker`, polled until none is left or the bound passes. */
async function stillRunning(marker: string, boundMs: number): Promise<number> {
  const until = performance.now() + boundMs;
  for (;;) {
    const count = Number(postgres.psql(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND application_name = 'rds-data-api' AND query LIKE '%${marker}%'`).trim());
    if (count === 0 || performance.now() > until) return count;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the call timeout on a real PostgreSQL', () => {
  it('cancels the statement in PostgreSQL when the call times out (pg_sleep(30) does not keep its backend)', async () => {
    const answer = await call({ sql: "SELECT pg_sleep(30) AS marker_cancel" });
    expect(answer).toEqual({ type: 'StatementTimeoutException', body: { message: 'Request timed out', dbConnectionId: 0 } });
    // Without the cancel the backend would sleep on for 30 s; 10 s is the bound of this check, not a timing.
    expect(await stillRunning('marker_cancel', 10_000)).toBe(0);
    // The service is still usable afterwards.
    expect((await call({ sql: 'SELECT 1 AS one' })).body.records).toEqual([[{ longValue: 1 }]]);
  }, 30_000);

  it('an endless recursive query is cancelled the same way', async () => {
    const answer = await call({ sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS marker_recursive FROM r' });
    expect(answer.type).toBe('StatementTimeoutException');
    expect(await stillRunning('marker_recursive', 10_000)).toBe(0);
  }, 30_000);

  it('continueAfterTimeout: the caller gets the timeout, and the statement runs to its end', async () => {
    const answer = await call({ sql: 'INSERT INTO slow_ddl_done SELECT 1 FROM pg_sleep(1.5) AS marker_continue', continueAfterTimeout: true });
    expect(answer.type).toBe('StatementTimeoutException');
    expect(await stillRunning('marker_continue', 20_000)).toBe(0);
    expect(postgres.psql('SELECT count(*) FROM slow_ddl_done').trim()).toBe('1');
    // The lifted statement_timeout does not stay on the connection it ran on.
    const after = await Promise.all([1, 2, 3, 4].map(() => call({ sql: 'SHOW statement_timeout' })));
    expect(after.map((a) => a.body.records)).toEqual([1, 2, 3, 4].map(() => [[{ stringValue: '500ms' }]]));
  }, 40_000);

  it("answers an unknown database with PostgreSQL's own 3D000", async () => {
    const answer = await call({ database: 'no_such_db', sql: 'SELECT 1' });
    expect(answer).toEqual({ type: 'DatabaseErrorException', body: { message: 'ERROR: database "no_such_db" does not exist; SQLState: 3D000' } });
  });
});
