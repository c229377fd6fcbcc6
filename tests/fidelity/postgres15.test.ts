/**
 * The same `pg` code against the virtual server and against a real PostgreSQL 15 on 127.0.0.1:
 * connection limits and the idle-session timeout must give the same errors, in the same place
 * relative to authentication.
 *
 * What is compared, honestly: community PostgreSQL 15 has no rds_superuser reservation and does not
 * send RDS's patched text. So the real server runs with superuser_reserved_connections as the whole
 * reservation, and a virtual server set up the same way with community 15's wording must send the
 * same ErrorResponse fields byte for byte (all but L, the source line). The virtual server as RDS
 * for PostgreSQL 15 sends RDS's text, compared with the string RDS users quote
 * (mlflow/mlflow#3727); every other field must still match the real server's.
 */
import net from 'node:net';
import realPg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealPostgres, type RealPostgres } from '../support/postgres.ts';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../src/engine/world/workbench.ts';
import { reservedSlotError, reservedSlotErrors } from '../../src/facts/postgres.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Target {
  pg: { Client: new (config: object) => any; Pool: new (config: object) => any };
  config(user: string, password: string): object;
  /** A fresh socket for pg's `stream` option, recording the server's bytes. */
  socket(record: (bytes: Buffer) => void): object;
  sleep(ms: number): Promise<void>;
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** The backend messages a client saw, e.g. `R0` for AuthenticationOk, `E` for ErrorResponse. */
function messageTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 0; offset + 5 <= bytes.length; offset += 1 + bytes.readInt32BE(offset + 1)) {
    const type = String.fromCharCode(bytes[offset]!);
    types.push(type === 'R' ? `R${bytes.readInt32BE(offset + 5)}` : type);
  }
  return types;
}

const fields = (e: any) => ({ name: e?.name, code: e?.code, severity: e?.severity, routine: e?.routine, file: e?.file });

/** The fields of the last ErrorResponse in the bytes a client saw, in wire order, as [type, value] pairs. */
function errorResponseFields(bytes: Buffer): Array<[string, string]> {
  let last: Buffer | null = null;
  for (let offset = 0; offset + 5 <= bytes.length; offset += 1 + bytes.readInt32BE(offset + 1)) {
    if (bytes[offset] === 0x45 /* E */) last = bytes.subarray(offset + 5, offset + 1 + bytes.readInt32BE(offset + 1));
  }
  const out: Array<[string, string]> = [];
  for (let i = 0; last && i < last.length && last[i] !== 0; ) {
    const end = last.indexOf(0, i + 1);
    out.push([String.fromCharCode(last[i]!), last.subarray(i + 1, end).toString('utf8')]);
    i = end + 1;
  }
  return out;
}

/** L (the source line) changes between minor versions; the virtual server leaves it out. */
const withoutLine = (pairs: Array<[string, string]>) => pairs.filter(([type]) => type !== 'L');

/** Fills the server past its limits: 3 app connections of 5, then 2 superusers. */
async function admission(target: Target) {
  const attempt = async (user: string, password: string) => {
    const chunks: Buffer[] = [];
    const client = new target.pg.Client({ ...target.config(user, password), stream: () => target.socket((b) => chunks.push(b)) });
    const error = await client.connect().then(() => null, (e: unknown) => e);
    const bytes = Buffer.concat(chunks);
    return { client, error, seen: messageTypes(bytes), wire: errorResponseFields(bytes) };
  };
  const open: any[] = [];
  for (let i = 0; i < 3; i++) open.push((await attempt('app', 'app-password')).client);
  const reserved = await attempt('app', 'app-password');
  for (let i = 0; i < 2; i++) open.push((await attempt('postgres', 'postgres')).client);
  const full = await attempt('postgres', 'postgres');
  for (const client of open) await client.end();
  return { reserved, full };
}

/** A pooled connection left idle past idle_session_timeout, then used again. */
async function idleTimeout(target: Target) {
  const pool = new target.pg.Pool({ ...target.config('idler', 'idler-password'), max: 1 });
  const errors: unknown[] = [];
  pool.on('error', (e: unknown) => errors.push(e));
  await pool.query('SELECT 1');
  await target.sleep(1500);
  const after = (await pool.query('SELECT 2 AS v')).rows[0].v;
  await pool.end();
  return { errors, after };
}

describe('fidelity: the virtual server against a real PostgreSQL 15', () => {
  let real: RealPostgres;
  let bench: Workbench;
  let rds15: Workbench;
  let targets: { real: Target; virtual: Target; rds15: Target };

  beforeAll(async () => {
    real = await startRealPostgres({ settings: { max_connections: 5, superuser_reserved_connections: 2 } });
    real.psql("CREATE ROLE app LOGIN PASSWORD 'app-password'; CREATE ROLE idler LOGIN PASSWORD 'idler-password'; ALTER ROLE idler SET idle_session_timeout = '1s';");
    const users = { postgres: 'postgres', app: 'app-password', idler: 'idler-password' };
    // The real server's reservation model: superuser_reserved_connections only, worded as community 15 words it.
    bench = await openWorkbench(nodeHost, { maxConnections: 5, reservedConnections: 2, reservedSlotError: reservedSlotErrors.community15.value, users });
    // The same reservation, worded as RDS for PostgreSQL 15 words it.
    rds15 = await openWorkbench(nodeHost, { maxConnections: 5, reservedConnections: 2, reservedSlotError: reservedSlotError('15'), users });
    const virtualTarget = (b: Workbench): Target => {
      const virtualNet = b.network.netModuleFor(b.client) as { Socket: new () => { on(event: string, listener: (b: Buffer) => void): void } };
      return {
        pg: b.pg as any,
        config: (user, password) => ({ host: b.host, port: b.port, user, password, database: 'postgres' }),
        socket(record) {
          const socket = new virtualNet.Socket();
          socket.on('data', record);
          return socket;
        },
        sleep: (ms) => b.sleep(ms),
        run: (work) => b.run(work),
      };
    };
    targets = {
      real: {
        pg: realPg as any,
        config: (user, password) => ({ host: real.host, port: real.port, user, password, database: 'postgres' }),
        socket(record) {
          const socket = new net.Socket();
          socket.on('data', record);
          return socket;
        },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        run: (work) => work(),
      },
      virtual: virtualTarget(bench),
      rds15: virtualTarget(rds15),
    };
  });

  afterAll(async () => {
    real?.stop();
    await bench?.close();
    await rds15?.close();
  });

  it('past max_connections: same code, severity, routine, and the same place relative to authentication', async () => {
    const fromReal = await targets.real.run(() => admission(targets.real));
    // The virtual server's idle timeout is per server, not per role: this check runs without one.
    const fromVirtual = await targets.virtual.run(() => admission(targets.virtual));

    // "sorry, too many clients already": before any authentication message, on both.
    for (const side of [fromReal, fromVirtual]) {
      expect(side.full.seen).toEqual(['E']);
      expect((side.full.error as Error).message).toBe('sorry, too many clients already');
    }
    expect(fields(fromVirtual.full.error)).toEqual(fields(fromReal.full.error));
    expect(fields(fromReal.full.error)).toEqual({ name: 'error', code: '53300', severity: 'FATAL', routine: 'InitProcess', file: 'proc.c' });

    // The reserved-slot error: right after AuthenticationOk on both (real 15 runs SCRAM first, the virtual server a cleartext password).
    for (const side of [fromReal, fromVirtual]) expect(side.reserved.seen.slice(-2)).toEqual(['R0', 'E']);
    expect(fromReal.reserved.seen).toEqual(['R10', 'R11', 'R12', 'R0', 'E']);
    expect(fromVirtual.reserved.seen).toEqual(['R3', 'R0', 'E']);
    expect(fields(fromVirtual.reserved.error)).toEqual(fields(fromReal.reserved.error));
    expect(fields(fromReal.reserved.error)).toEqual({ name: 'error', code: '53300', severity: 'FATAL', routine: 'InitPostgres', file: 'postinit.c' });
    expect((fromReal.reserved.error as Error).message).toBe('remaining connection slots are reserved for non-replication superuser connections');

    // Byte for byte: every ErrorResponse field, in wire order, but the source line.
    expect(withoutLine(fromReal.reserved.wire).map(([type]) => type)).toEqual(['S', 'V', 'C', 'M', 'F', 'R']);
    expect(fromVirtual.reserved.wire).toEqual(withoutLine(fromReal.reserved.wire));
    expect(fromVirtual.full.wire).toEqual(withoutLine(fromReal.full.wire));
  });

  it('as RDS for PostgreSQL 15: RDS\'s own reserved-slot text, every other field as the real 15 sends it', async () => {
    const fromReal = await targets.real.run(() => admission(targets.real));
    const fromRds = await targets.rds15.run(() => admission(targets.rds15));
    const rdsText = 'remaining connection slots are reserved for non-replication superuser and rds_superuser connections';
    expect(fromRds.reserved.wire).toEqual(withoutLine(fromReal.reserved.wire).map(([type, value]) => [type, type === 'M' ? rdsText : value]));
    expect(fromRds.reserved.seen.slice(-2)).toEqual(['R0', 'E']);
    expect(fromRds.full.wire).toEqual(withoutLine(fromReal.full.wire));
  });

  it('an idle timeout closing a pooled connection gives the same pg error, and the pool recovers on both', async () => {
    const fromReal = await targets.real.run(() => idleTimeout(targets.real));
    bench.server.options.idleSessionTimeoutMs = 1000;
    const fromVirtual = await targets.virtual.run(() => idleTimeout(targets.virtual));
    bench.server.options.idleSessionTimeoutMs = 0;
    const full = (e: any) => ({ ...fields(e), message: e?.message });
    expect(fromReal.errors.map(full)).toEqual([{ name: 'error', code: '57P05', severity: 'FATAL', routine: 'ProcessInterrupts', file: 'postgres.c', message: 'terminating connection due to idle-session timeout' }]);
    expect(fromVirtual.errors.map(full)).toEqual(fromReal.errors.map(full));
    expect(fromVirtual.after).toBe(2);
    expect(fromReal.after).toBe(2);
  });
});
