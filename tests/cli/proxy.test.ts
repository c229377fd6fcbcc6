/**
 * `connlab proxy` on real TCP in front of a real PostgreSQL 15: multiplexing, the pin log, the
 * metrics on exit, and the usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { main } from '../../src/cli/main.ts';
import { startRealPostgres, type RealPostgres } from '../support/postgres.ts';
import { startConnlabProxy } from '../support/connlab-proxy.ts';

let postgres: RealPostgres;
beforeAll(async () => {
  postgres = await startRealPostgres({ settings: { max_connections: 30 } });
}, 60_000);
afterAll(() => postgres?.stop());

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
};

describe('connlab proxy: usage', () => {
  it('rejects a malformed target URL with a clear message and exit code 2', async () => {
    for (const target of ['localhost:5432', 'mysql://u:p@127.0.0.1/db', 'postgres://user@127.0.0.1:5432/db', 'postgres://u:p@127.0.0.1:99999/db']) {
      const { io, err } = capture();
      expect(await main(['proxy', '--target', target], io)).toBe(2);
      expect(err.join('\n')).toMatch(/^connlab proxy: --target must be a URL like postgres:\/\/user:password@127\.0\.0\.1:5432\/db \(got '.*': .+\)/);
    }
  });

  it('requires --target and exits 1 when the target cannot be reached', async () => {
    const missing = capture();
    expect(await main(['proxy'], missing.io)).toBe(2);
    expect(missing.err[0]).toContain('missing --target');
    const unreachable = capture();
    expect(await main(['proxy', '--target', 'postgres://u:p@127.0.0.1:1/db'], unreachable.io)).toBe(1);
    expect(unreachable.err[0]).toMatch(/^connlab proxy: cannot reach the target u@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
  });
});

describe('connlab proxy: in front of PostgreSQL 15', () => {
  it('multiplexes clients, logs the statement that pins with its rule, and prints the metrics on SIGINT', async () => {
    const proxy = await startConnlabProxy(postgres);
    const config = { host: proxy.host, port: proxy.port, user: 'postgres', password: 'postgres', database: 'postgres' };
    const clients = Array.from({ length: 12 }, () => new pg.Client(config));
    await Promise.all(clients.map((c) => c.connect()));
    for (let round = 0; round < 3; round++) {
      for (const client of clients) expect((await client.query('SELECT $1::int + 1 AS n', [round])).rows[0].n).toBe(round + 1);
    }
    const serverSide = Number(postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'rds-proxy'").trim());
    const pinned = clients[0]!;
    await pinned.query('SET search_path = pg_catalog, public');
    expect((await pinned.query('SHOW search_path')).rows[0].search_path).toBe('pg_catalog, public');
    await proxy.waitFor(/pin client \d+ \(postgres\) pinned: SET \(session parameter\): SET search_path = pg_catalog, public/);
    await Promise.all(clients.map((c) => c.end()));
    const { code, output } = await proxy.stop('SIGINT');
    expect(code).toBe(0);
    // Sequential queries from 12 clients need one server connection, not twelve.
    expect(serverSide).toBeLessThanOrEqual(2);
    expect(output).toMatch(/ClientConnections\s+now 0, peak 12/);
    expect(output).toMatch(/DatabaseConnectionsCurrentlySessionPinned\s+peak 1/);
    expect(output).toMatch(/MaxDatabaseConnectionsAllowed\s+29/);
    expect(output).toMatch(/1\s+SET \(session parameter\)/);
    expect(output).toContain('Stopped (SIGINT).');
  }, 60_000);

  it('binds 127.0.0.1 by default and stops on SIGTERM', async () => {
    const proxy = await startConnlabProxy(postgres);
    expect(proxy.output()).toContain(`Listening on 127.0.0.1:${proxy.port}`);
    const { code, output } = await proxy.stop('SIGTERM');
    expect(code).toBe(0);
    expect(output).toContain('Stopped (SIGTERM).');
  }, 30_000);
});
