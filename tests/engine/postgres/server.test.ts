import { afterEach, describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';
import type { VirtualPostgresOptions } from '../../../src/engine/postgres/server.ts';
import { reservedSlotError } from '../../../src/facts/postgres.ts';
import { ClientSocket } from '../../../src/engine/net/network.ts';
import * as wire from '../../../src/engine/postgres/wire.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Pg = { Client: new (config: object) => any; Pool: new (config: object) => any };

let bench: Workbench | null = null;
afterEach(async () => {
  await bench?.close();
  bench = null;
});

async function open(options: Partial<VirtualPostgresOptions> = {}) {
  bench = await openWorkbench(nodeHost, options);
  const pg = bench.pg as unknown as Pg;
  const config = (user = 'app', password = 'app-password') => ({ host: bench!.host, port: bench!.port, user, password, database: 'postgres' });
  return { bench, pg, config };
}

/** Runs `body` in the simulation with two connected clients, closing both after it. */
async function twoClients<T>(options: Partial<VirtualPostgresOptions>, body: (a: any, b: any, bench: Workbench) => Promise<T>): Promise<{ bench: Workbench; result: T }> {
  const { bench, pg, config } = await open(options);
  const result = await bench.run(async () => {
    const a = new pg.Client(config());
    const b = new pg.Client(config());
    await a.connect();
    await b.connect();
    const out = await body(a, b, bench);
    await a.end();
    await b.end();
    return out;
  });
  return { bench, result };
}

const fields = (e: any) => ({ name: e?.name, code: e?.code, severity: e?.severity, message: e?.message, routine: e?.routine, file: e?.file });

describe('virtual PostgreSQL: handshake', () => {
  it('authenticates, answers queries through PGlite and gives each connection its own backend pid', async () => {
    const { bench, result } = await twoClients({}, async (a, b) => {
      const rows = (await a.query('SELECT $1::int + 1 AS n, version() AS v', [41])).rows;
      const pids = [a.processID, b.processID];
      return { rows, pids };
    });
    expect(result.rows[0].n).toBe(42);
    expect(result.rows[0].v).toMatch(/^PostgreSQL/);
    expect(result.pids[0]).not.toBe(result.pids[1]);
    expect(bench.server.active).toBe(0);
  });

  it('rejects a wrong password with 28P01 as PostgreSQL words it', async () => {
    const { bench, pg, config } = await open();
    const error = await bench.run(() => new pg.Client(config('app', 'wrong')).connect().catch((e: unknown) => e));
    expect(fields(error)).toMatchObject({ code: '28P01', severity: 'FATAL', message: 'password authentication failed for user "app"', routine: 'auth_failed' });
    expect(bench.server.active).toBe(0);
  });

  // As RDS does; the simulated TLS session is the same plaintext socket (the environment's tls builtin).
  it('answers SSLRequest with S, so pg with ssl set connects and queries', async () => {
    const { bench, pg, config } = await open();
    const rows = await bench.run(async () => {
      const client = new pg.Client({ ...config(), ssl: { rejectUnauthorized: true } });
      await client.connect();
      const result = await client.query('SELECT 1 AS n');
      await client.end();
      return result.rows;
    });
    expect(rows).toEqual([{ n: 1 }]);
    expect(bench.server.stats.accepted).toBe(1);
  });
});

// Each says whether the clock must settle after it (Scheduler.atReporting): true only when nothing is left in flight.
describe('virtual PostgreSQL: what a packet leaves in flight', () => {
  /** A connection's server end, fed start-up and a password directly: what each packet reported. */
  const login = (bench: Workbench, password: string) => {
    const side = bench.server.accept(new ClientSocket(bench.network, bench.client));
    const reported = [side.receive(wire.startupPacket({ user: 'app', database: 'postgres' })), side.receive(wire.message('p', Buffer.from(`${password}\0`, 'utf8')))];
    return { side, reported };
  };

  it('answers start-up, authentication and a Terminate with nothing to undo at once, and reports a query as work', async () => {
    const { bench } = await open();
    const { side, reported } = login(bench, 'app-password');
    expect(reported).toEqual([true, true]);
    expect(bench.server.stats.accepted).toBe(1);
    expect(side.receive(wire.simpleQuery('SELECT 1'))).toBe(false);
    await bench.scheduler.settle();
    expect(bench.server.stats.queries).toBe(1);
    expect(side.receive(wire.message('X'))).toBe(true);
    expect(bench.server.active).toBe(0);
  });

  it('reports a refused login as answered, and a Terminate inside a transaction as work (the rollback)', async () => {
    const { bench } = await open();
    expect(login(bench, 'wrong').reported).toEqual([true, true]);
    expect(bench.server.stats.authFailures).toBe(1);

    const { side } = login(bench, 'app-password');
    expect(side.receive(wire.simpleQuery('BEGIN'))).toBe(false);
    await bench.scheduler.settle();
    const queries = bench.server.stats.queries;
    expect(side.receive(wire.message('X'))).toBe(false);
    await bench.scheduler.settle();
    expect(bench.server.stats.queries).toBe(queries + 1);
    expect(bench.server.active).toBe(0);
  });
});

describe('virtual PostgreSQL: admission control', () => {
  it('sends "too many clients" before authentication and the reserved-slot error after AuthenticationOk', async () => {
    const { bench, pg, config } = await open({ maxConnections: 5, reservedConnections: 2 });
    const result = await bench.run(async () => {
      const apps = [];
      for (let i = 0; i < 3; i++) {
        const c = new pg.Client(config());
        await c.connect();
        apps.push(c);
      }
      const reserved = await new pg.Client(config()).connect().catch((e: unknown) => e);
      const supers = [];
      for (let i = 0; i < 2; i++) {
        const c = new pg.Client(config('postgres', 'postgres'));
        await c.connect();
        supers.push(c);
      }
      const full = await new pg.Client(config('postgres', 'postgres')).connect().catch((e: unknown) => e);
      const peak = bench.server.active;
      for (const c of [...apps, ...supers]) await c.end();
      return { reserved, full, peak };
    });
    expect(fields(result.reserved)).toEqual({ name: 'error', code: '53300', severity: 'FATAL', message: 'remaining connection slots are reserved for roles with the SUPERUSER attribute', routine: 'InitPostgres', file: 'postinit.c' });
    expect(fields(result.full)).toEqual({ name: 'error', code: '53300', severity: 'FATAL', message: 'sorry, too many clients already', routine: 'InitProcess', file: 'proc.c' });
    expect(result.peak).toBe(5);
    expect(bench.server.stats).toMatchObject({ rejectedReserved: 1, rejectedTooManyClients: 1 });
    expect(bench.server.active).toBe(0);
  });

  it('keeps RDS\'s 3 + 2 reserved slots from an ordinary role, and words the refusal as the engine version does', async () => {
    const admit = async (version: '15' | '18') => {
      const { bench: b, pg, config } = await open({ maxConnections: 10, reservedSlotError: reservedSlotError(version) });
      const result = await b.run(async () => {
        const apps = [];
        for (;;) {
          const c = new pg.Client(config());
          const error = await c.connect().then(() => null, (e: unknown) => e);
          if (error) return { apps: apps.length, error, superuser: await new pg.Client(config('postgres', 'postgres')).connect().then(() => 'connected') };
          apps.push(c);
        }
      });
      await b.close();
      bench = null;
      return result;
    };
    const rds15 = await admit('15');
    expect(rds15.apps).toBe(5);
    expect(fields(rds15.error)).toEqual({ name: 'error', code: '53300', severity: 'FATAL', message: 'remaining connection slots are reserved for non-replication superuser and rds_superuser connections', routine: 'InitPostgres', file: 'postinit.c' });
    expect(rds15.superuser).toBe('connected');
    const rds18 = await admit('18');
    expect(rds18.apps).toBe(5);
    expect((rds18.error as Error).message).toBe('remaining connection slots are reserved for roles with the SUPERUSER attribute');
  });

  it('frees the slot on Terminate and rolls back what the connection left open', async () => {
    const { bench, pg, config } = await open({ maxConnections: 4, reservedConnections: 0 });
    const count = await bench.run(async () => {
      const setup = new pg.Client(config());
      await setup.connect();
      await setup.query('CREATE TABLE t (x int)');
      const leaver = new pg.Client(config());
      await leaver.connect();
      await leaver.query('BEGIN');
      await leaver.query('INSERT INTO t VALUES (1)');
      await leaver.end();
      const { rows } = await setup.query('SELECT count(*)::int AS n FROM t');
      await setup.end();
      return rows[0].n;
    });
    expect(count).toBe(0);
    expect(bench.server.active).toBe(0);
  });
});

describe('virtual PostgreSQL: one PGlite session shared safely', () => {
  it('keeps SET values per connection', async () => {
    const { result } = await twoClients({}, async (a, b) => {
      await a.query("SET application_name = 'alpha'");
      await a.query({ text: "SELECT set_config('statement_timeout', $1, false)", values: ['7s'] });
      await a.query('CREATE TABLE s (v int)');
      await b.query('UPDATE s SET v = 1');
      const seenByB = (await b.query('SHOW application_name')).rows[0].application_name;
      await b.query("SET application_name = 'beta'");
      const seenByA = (await a.query('SHOW application_name')).rows[0].application_name;
      const timeoutA = (await a.query('SHOW statement_timeout')).rows[0].statement_timeout;
      const timeoutB = (await b.query('SHOW statement_timeout')).rows[0].statement_timeout;
      const againB = (await b.query('SHOW application_name')).rows[0].application_name;
      return { seenByB, seenByA, timeoutA, timeoutB, againB };
    });
    expect(result).toEqual({ seenByB: '', seenByA: 'alpha', timeoutA: '7s', timeoutB: '0', againB: 'beta' });
  });

  it('keeps named prepared statements apart per connection', async () => {
    const { result: rows } = await twoClients({}, async (a, b) => {
      const ra = await a.query({ name: 'q', text: 'SELECT 1 AS v' });
      const rb = await b.query({ name: 'q', text: "SELECT 'two' AS v" });
      const ra2 = await a.query({ name: 'q', text: 'SELECT 1 AS v' });
      return [ra.rows[0].v, rb.rows[0].v, ra2.rows[0].v];
    });
    expect(rows).toEqual([1, 'two', 1]);
  });

  it('serializes transactions and bounds the wait with an error that names the limitation', async () => {
    const { result } = await twoClients({ sessionWaitLimitMs: 2000 }, async (a, b, bench) => {
      await a.query('CREATE TABLE k (v int)');
      await a.query('BEGIN');
      await a.query('INSERT INTO k VALUES (1)');
      const started = bench.scheduler.now;
      const blocked = await b.query('SELECT count(*)::int AS n FROM k').catch((e: unknown) => e);
      const waited = bench.scheduler.now - started;
      await a.query('COMMIT');
      const after = (await b.query('SELECT count(*)::int AS n FROM k')).rows[0].n;
      return { blocked, waited, after };
    });
    expect(fields(result.blocked)).toMatchObject({ code: '55P03', severity: 'ERROR' });
    expect((result.blocked as Error).message).toMatch(/^connlab: the simulated server runs every connection on one PGlite session/);
    expect(result.waited).toBeGreaterThanOrEqual(2000);
    expect(result.after).toBe(1);
  });
});

describe('virtual PostgreSQL: timeouts', () => {
  it('closes an idle pooled connection with 57P05, which pg reports on the idle client', async () => {
    const { bench, pg, config } = await open({ idleSessionTimeoutMs: 1000 });
    const result = await bench.run(async () => {
      const pool = new pg.Pool({ ...config(), max: 1 });
      const errors: unknown[] = [];
      pool.on('error', (e: unknown) => errors.push(e));
      await pool.query('SELECT 1');
      await bench.sleep(1500);
      const next = (await pool.query('SELECT 2 AS v')).rows[0].v;
      await pool.end();
      return { errors, next };
    });
    expect(result.errors.map(fields)).toEqual([{ name: 'error', code: '57P05', severity: 'FATAL', message: 'terminating connection due to idle-session timeout', routine: 'ProcessInterrupts', file: 'postgres.c' }]);
    expect(result.next).toBe(2);
    expect(bench.server.stats.idleSessionTimeouts).toBe(1);
  });

  it('keeps the connection of a vanished client until RDS\'s keepalives give up: 300 s idle, then 2 probes 30 s apart', async () => {
    const { bench, pg, config } = await open();
    await bench.run(async () => {
      const c = new pg.Client(config());
      await c.connect();
      await c.query('SELECT 1');
    });
    const lastTraffic = bench.scheduler.now;
    bench.network.vanish(bench.client);
    expect(bench.server.active).toBe(1);
    expect(bench.server.zombies).toBe(1);
    await bench.scheduler.run({ until: lastTraffic + 359_000 });
    expect(bench.server.active).toBe(1);
    await bench.scheduler.run({ until: lastTraffic + 361_000 });
    expect(bench.server.active).toBe(0);
    expect(bench.server.zombies).toBe(0);
    expect(bench.server.stats.deadClientsReaped).toBe(1);
  });
});

describe('virtual PostgreSQL: cost model', () => {
  it('queues queries when more run at once than the instance has vCPUs', async () => {
    const timeFor = async (vcpus: number) => {
      const { bench: b, pg, config } = await open({ vcpus, costs: { backendStartMs: 0, authenticationMs: 0, tlsHandshakeMs: 0, rejectionMs: 0, queryServiceMs: 10 } });
      const elapsed = await b.run(async () => {
        const clients = Array.from({ length: 8 }, () => new pg.Client(config()));
        await Promise.all(clients.map((c) => c.connect()));
        const start = b.scheduler.now;
        await Promise.all(clients.map((c) => c.query('SELECT 1')));
        const took = b.scheduler.now - start;
        await Promise.all(clients.map((c) => c.end()));
        return took;
      });
      await b.close();
      bench = null;
      return elapsed;
    };
    const one = await timeFor(1);
    const eight = await timeFor(8);
    // Eight queries of 5-15 ms of CPU: one vCPU serves them one after another, eight in parallel.
    expect(one).toBeGreaterThan(40);
    expect(eight).toBeLessThan(20);
  });
});

describe('virtual PostgreSQL: ALTER ROLE … PASSWORD', () => {
  it('a role changes its own password: open connections carry on, new logins need the new password', async () => {
    const { bench, pg, config } = await open();
    const result = await bench.run(async () => {
      const open = new pg.Client(config());
      await open.connect();
      const changer = new pg.Client(config());
      await changer.connect();
      const altered = await changer.query(`ALTER USER app WITH PASSWORD 'it''s new'`);
      await changer.end();
      const stillOpen = (await open.query('SELECT 1 AS one')).rows[0].one;
      const old = await new pg.Client(config('app', 'app-password')).connect().catch((e: unknown) => e);
      const fresh = new pg.Client(config('app', "it's new"));
      await fresh.connect();
      const answered = (await fresh.query('SELECT 2 AS two')).rows[0].two;
      await fresh.end();
      await open.end();
      return { command: altered.command, stillOpen, old, answered };
    });
    expect(result).toMatchObject({ command: 'ALTER', stillOpen: 1, answered: 2 });
    expect(fields(result.old)).toMatchObject({ code: '28P01', severity: 'FATAL', message: 'password authentication failed for user "app"' });
    expect(bench.server.stats.authFailures).toBe(1);
  });

  it('answers 42704 for a role that does not exist and 42501 for another role\'s password; a superuser may change it', async () => {
    const { bench, pg, config } = await open({ users: { postgres: 'postgres', app: 'app-password', reporting: 'r' } });
    const result = await bench.run(async () => {
      const app = new pg.Client(config());
      await app.connect();
      const missing = await app.query(`ALTER ROLE ghost PASSWORD 'x'`).catch((e: unknown) => e);
      const denied = await app.query(`ALTER ROLE reporting PASSWORD 'x'`).catch((e: unknown) => e);
      await app.end();
      const admin = new pg.Client(config('postgres', 'postgres'));
      await admin.connect();
      await admin.query(`ALTER ROLE "reporting" WITH PASSWORD 'by-admin'`);
      await admin.end();
      const reporting = new pg.Client(config('reporting', 'by-admin'));
      await reporting.connect();
      await reporting.end();
      return { missing, denied };
    });
    expect(fields(result.missing)).toMatchObject({ code: '42704', severity: 'ERROR', message: 'role "ghost" does not exist' });
    expect(fields(result.denied)).toMatchObject({ code: '42501', severity: 'ERROR', message: 'permission denied to alter role' });
  });
});
