import { afterEach, describe, expect, it } from 'vitest';
import { openProxyBench, type ProxyBench } from './support.ts';
import { ClientSocket } from '../../../src/engine/net/network.ts';
import * as wire from '../../../src/engine/postgres/wire.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
let open: ProxyBench | null = null;
afterEach(async () => {
  await open?.bench.close();
  open = null;
});

const start = async (...args: Parameters<typeof openProxyBench>) => (open = await openProxyBench(...args));

describe('RDS Proxy model: multiplexing', () => {
  it('serves many clients on few database connections, borrowed per statement in autocommit', async () => {
    const { bench, proxy, pg, config } = await start();
    const result = await bench.run(async () => {
      const clients = Array.from({ length: 20 }, () => new pg.Client(config()));
      await Promise.all(clients.map((c) => c.connect()));
      // Like invocations doing other work between queries: each client holds no database connection meanwhile.
      const answers = await Promise.all(clients.map(async (c, i) => (await bench.sleep(i * 10), c.query('SELECT $1::int * 2 AS n', [i]))));
      const pids = await Promise.all(clients.map(async (c, i) => (await bench.sleep(i * 10), c.query('SELECT pg_backend_pid() AS pid'))));
      const clientPids = clients.map((c) => c.processID);
      await Promise.all(clients.map((c) => c.end()));
      return { answers: answers.map((a) => a.rows[0].n), pids: pids.map((p) => p.rows[0].pid), clientPids };
    });
    expect(result.answers).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(proxy.proxy.stats.peakClientConnections).toBe(20);
    expect(proxy.proxy.stats.peakDatabaseConnections).toBeLessThanOrEqual(2);
    expect(new Set(result.pids).size).toBeLessThanOrEqual(2);
    expect(bench.server.stats.peakConnections).toBe(proxy.proxy.stats.peakDatabaseConnections);
    // The proxy gives each client its own backend key, not the database's.
    expect(new Set(result.clientPids).size).toBe(20);
    expect(proxy.proxy.clients.size).toBe(0);
    expect(proxy.proxy.stats.borrows).toBeGreaterThanOrEqual(40);
  });

  it('keeps a transaction on one database connection and returns it at ReadyForQuery I', async () => {
    const { bench, proxy, pg, config } = await start();
    const borrowed = () => [...proxy.proxy.connections].filter((c) => c.owner).length;
    const pids = await bench.run(async () => {
      const a = new pg.Client(config());
      await a.connect();
      await a.query('BEGIN');
      const first = (await a.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await bench.sleep(50);
      const inTransaction = borrowed();
      const second = (await a.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await a.query('COMMIT');
      const afterCommit = borrowed();
      await a.end();
      return { first, second, inTransaction, afterCommit };
    });
    expect(pids.first).toBe(pids.second);
    expect(pids.inTransaction).toBe(1);
    expect(pids.afterCommit).toBe(0);
  });
});

describe('RDS Proxy model: pinning', () => {
  it('pins on SET and keeps the setting for the session; SET LOCAL in a transaction does not pin', async () => {
    const { bench, proxy, pg, config, pins } = await start();
    const result = await bench.run(async () => {
      const a = new pg.Client(config());
      await a.connect();
      await a.query('BEGIN');
      await a.query("SET LOCAL statement_timeout = '5s'");
      await a.query('COMMIT');
      const before = pins.length;
      await a.query("SET search_path = public, pg_catalog");
      const pinnedNow = proxy.proxy.stats.peakPinned;
      const setting = (await a.query('SHOW search_path')).rows[0].search_path;
      await a.end();
      return { before, setting, pinnedNow };
    });
    expect(result.before).toBe(0);
    expect(result.setting).toBe('public, pg_catalog');
    expect(result.pinnedNow).toBe(1);
    expect(pins.map((p) => p.pin.reason)).toEqual(['SET (session parameter)']);
    // The pinned connection is not given to anyone else: it is closed with its session.
    expect(proxy.proxy.connections.size).toBe(0);
  });

  it('logs each pinning rule with the statement that triggered it', async () => {
    const { bench, pg, config, pins } = await start();
    await bench.run(async () => {
      const a = new pg.Client(config());
      await a.connect();
      await a.query("SELECT 'SET x = 1' AS not_a_set -- SET in a comment");
      await a.query('CREATE SEQUENCE s');
      await a.query("SELECT nextval('s')");
      await a.query('SELECT pg_advisory_lock(42)');
      await a.query('PREPARE q AS SELECT 1');
      await a.query('EXECUTE q');
      await a.query('DEALLOCATE q');
      await a.query('LISTEN orders');
      await a.query('DISCARD PLANS');
      await a.query(`SELECT '${'x'.repeat(17_000)}' AS big`);
      await a.end();
    });
    expect(pins.map((p) => p.pin.reason)).toEqual([
      'nextval/setval (sequence state)',
      'advisory-lock function',
      'PREPARE (SQL-level prepared statement)',
      'EXECUTE (SQL-level prepared statement)',
      'DEALLOCATE (SQL-level prepared statement)',
      'LISTEN',
      'DISCARD',
      'statement text over 16 KB',
    ]);
    expect(pins.filter((p) => p.newly)).toHaveLength(1);
    expect(pins[0]!.pin.statement).toBe("SELECT nextval('s')");
  });
});

describe('RDS Proxy model: the extended query protocol', () => {
  it('multiplexes unnamed parameterised queries (pg\'s default) and pins a named prepared statement', async () => {
    const { bench, pg, config, pins } = await start();
    const result = await bench.run(async () => {
      const a = new pg.Client(config());
      await a.connect();
      const unnamed = (await a.query('SELECT $1::int + 1 AS n', [1])).rows[0].n;
      const before = pins.length;
      const named = (await a.query({ name: 'next-order', text: 'SELECT $1::int + 2 AS n', values: [1] })).rows[0].n;
      const again = (await a.query({ name: 'next-order', text: 'SELECT $1::int + 2 AS n', values: [5] })).rows[0].n;
      await a.end();
      return { unnamed, before, named, again };
    });
    expect(result).toEqual({ unnamed: 2, before: 0, named: 3, again: 7 });
    expect(pins.map((p) => p.pin.reason)).toEqual(['named protocol-level prepared statement (connlab: re-preparing it on another connection is not modelled)']);
  });
});

describe('RDS Proxy model: the borrow queue', () => {
  it('queues clients past MaxConnectionsPercent and fails them after ConnectionBorrowTimeout with the documented text', async () => {
    // 10 % of 20 is 2, less 1 kept by the proxy: one database connection for everyone.
    const { bench, proxy, pg, config, events } = await start({ maxConnectionsPercent: 10, connectionBorrowTimeoutMs: 1_000 }, { maxConnections: 20 });
    const outcome = await bench.run(async () => {
      const a = new pg.Client(config());
      const b = new pg.Client(config());
      await a.connect();
      await b.connect();
      await a.query('BEGIN');
      const started = bench.scheduler.now;
      const error = await b.query('SELECT 1').catch((e: any) => e);
      const waited = bench.scheduler.now - started;
      await a.query('COMMIT');
      const after = (await b.query('SELECT 2 AS n')).rows[0].n;
      await a.end();
      await b.end();
      return { message: error.message, code: error.code, severity: error.severity, waited, after };
    });
    expect(proxy.proxy.maxDatabaseConnections).toBe(1);
    expect(outcome).toMatchObject({ message: 'Timed-out waiting to acquire database connection.', severity: 'ERROR', after: 2 });
    expect(outcome.waited).toBeGreaterThanOrEqual(1_000);
    expect(outcome.waited).toBeLessThan(1_100);
    expect(proxy.proxy.stats.borrowTimeouts).toBe(1);
    expect(proxy.proxy.stats.peakDatabaseConnections).toBe(1);
    expect(events.some((e) => e.startsWith('borrow-timeout'))).toBe(true);
  });

  it('hands a returned connection to the first waiter and records the borrow latency', async () => {
    const { bench, proxy, pg, config } = await start({ maxConnectionsPercent: 10 }, { maxConnections: 20 });
    await bench.run(async () => {
      const clients = Array.from({ length: 5 }, () => new pg.Client(config()));
      await Promise.all(clients.map((c) => c.connect()));
      await Promise.all(clients.map((c) => c.query('SELECT pg_sleep(0)')));
      await Promise.all(clients.map((c) => c.end()));
    });
    expect(proxy.proxy.stats.peakWaiting).toBeGreaterThan(0);
    expect(Math.max(...proxy.proxy.metrics.samples.DatabaseConnectionsBorrowLatency)).toBeGreaterThan(0);
  });
});

describe('RDS Proxy model: client connections', () => {
  it('closes a client idle for IdleClientTimeout; its next query fails as pg reports a closed connection', async () => {
    const { bench, proxy, pg, config, events } = await start({ idleClientTimeoutMs: 60_000 });
    const error = await bench.run(async () => {
      const a = new pg.Client(config());
      a.on('error', () => {});
      await a.connect();
      await a.query('SELECT 1');
      await bench.sleep(61_000);
      return a.query('SELECT 1').catch((e: any) => e);
    });
    expect(error.message).toMatch(/Connection terminated|not queryable/);
    expect(proxy.proxy.stats.clientConnectionsClosedIdle).toBe(1);
    expect(events.some((e) => e.startsWith('client-idle-timeout'))).toBe(true);
    // The database connection stays in the pool.
    expect(proxy.proxy.idle.length).toBe(1);
  });

  it('keeps the client connection of a vanished client (a reclaimed environment) until IdleClientTimeout, without holding a database connection', async () => {
    const { bench, proxy, pg, config } = await start({ idleClientTimeoutMs: 1_800_000 });
    const during = await bench.run(async () => {
      const a = new pg.Client(config());
      await a.connect();
      await a.query('SELECT 1');
      bench.network.vanish(bench.client);
      await bench.sleep(600_000);
      const tenMinutesLater = { clients: proxy.proxy.clients.size, borrowed: [...proxy.proxy.connections].filter((c) => c.owner).length };
      await bench.sleep(1_300_000);
      return tenMinutesLater;
    });
    expect(during).toEqual({ clients: 1, borrowed: 0 });
    expect(proxy.proxy.clients.size).toBe(0);
    expect(proxy.proxy.stats.clientConnectionsClosedIdle).toBe(1);
  });

  it('rejects a wrong password', async () => {
    const { bench, pg, config } = await start();
    const error: any = await bench.run(() => new pg.Client(config({ password: 'nope' })).connect().catch((e: unknown) => e));
    expect(error.message).toBe('password authentication failed for user "app"');
  });
});

describe('RDS Proxy model: the idle pool', () => {
  it('keeps at most MaxIdleConnectionsPercent of max_connections once connections have been idle for 5 minutes', async () => {
    const { bench, proxy, pg, config } = await start({ maxIdleConnectionsPercent: 2 });
    const open = await bench.run(async () => {
      const clients = Array.from({ length: 6 }, () => new pg.Client(config()));
      await Promise.all(clients.map((c) => c.connect()));
      await Promise.all(clients.map((c) => c.query('SELECT 1')));
      const opened = proxy.proxy.connections.size;
      await Promise.all(clients.map((c) => c.end()));
      await bench.sleep(301_000);
      return opened;
    });
    expect(open).toBeGreaterThan(2);
    expect(proxy.proxy.maxIdleConnections).toBe(2);
    expect(proxy.proxy.connections.size).toBe(2);
    expect(bench.server.active).toBe(2);
  });

  it('closes the database connection of a client that leaves inside a transaction, so nobody inherits it', async () => {
    const { bench, proxy, pg, config } = await start();
    const status = await bench.run(async () => {
      const a = new pg.Client(config());
      a.on('error', () => {});
      await a.connect();
      await a.query('BEGIN');
      await a.query('SELECT 1');
      a.connection.stream.destroy();
      await bench.sleep(10);
      const b = new pg.Client(config());
      await b.connect();
      const inTransaction = (await b.query("SELECT now() = statement_timestamp() AS fresh")).rows[0].fresh;
      await b.end();
      return inTransaction;
    });
    expect(status).toBe(true);
    expect(proxy.proxy.stats.peakDatabaseConnections).toBeGreaterThanOrEqual(1);
    expect([...proxy.proxy.connections].every((c) => c.txStatus === 'I')).toBe(true);
  });
});

// Each says whether the clock must settle after it (Scheduler.atReporting).
describe('RDS Proxy model: what a packet leaves in flight', () => {
  const sslRequest = () => Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  const password = (text: string) => wire.message('p', Buffer.from(`${text}\0`, 'utf8'));

  it('answers start-up, a password and a close at once', async () => {
    const { bench, proxy } = await start();
    const side = proxy.accept(new ClientSocket(bench.network, bench.client));
    expect(side.receive(wire.startupPacket({ user: 'app', database: 'postgres' }))).toBe(true);
    expect(side.receive(password('app-password'))).toBe(true);
    expect(proxy.proxy.stats.clientConnectionsSetupSucceeded).toBe(1);
    expect(side.receiveFin()).toBe(true);
  });

  it('reports an IAM token check as work: it waits for WebCrypto', async () => {
    const { bench, proxy, events } = await start({ auth: { secrets: {}, iam: 'REQUIRED', region: 'us-east-1', iamCredentials: {} } });
    const side = proxy.accept(new ClientSocket(bench.network, bench.client));
    expect(side.receive(sslRequest())).toBe(true);
    expect(side.receive(wire.startupPacket({ user: 'app', database: 'postgres' }))).toBe(true);
    expect(side.receive(password('not-a-token'))).toBe(false);
    await bench.scheduler.settle();
    expect(events.some((line) => line.startsWith('auth-failed'))).toBe(true);
  });
});
