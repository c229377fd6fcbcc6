/**
 * Seeded fuzzing of the frontend protocol (issue 11): malformed and truncated startup packets,
 * SSL/GSS/cancel requests, and every frontend message type with lengths at PostgreSQL's bounds,
 * sent (a) to `connlab proxy` in front of a real PostgreSQL 15 and (b) to the engine's virtual
 * server. Afterwards both still serve a normal `pg` client, the proxy process is alive, and its
 * memory is back within a bound. Everything stays on 127.0.0.1 (or the virtual network) and the
 * number of cases is fixed: a failing seed replays exactly.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';
import { protocolLimits } from '../../../src/facts/postgres.ts';
import { startConnlabProxy, type RunningProxy } from '../../support/connlab-proxy.ts';
import { exchange, frontendFuzzCases, int32, message, passwordMessage, PROTOCOL_3, replyTypes, startupPacket, type Exchange, type FuzzCase } from '../../support/frontend-fuzz.ts';
import { startRealPostgres, type RealPostgres } from '../../support/postgres.ts';

const SEED = 20_261_130;
const CASES = 240;
/** Clients at a time: enough to overlap, few enough for a shared machine. */
const CONCURRENCY = 8;

/** Runs the cases a few at a time; each resolves when the server has closed its connection. */
async function runCases(cases: readonly FuzzCase[], send: (c: FuzzCase) => Promise<Exchange>): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < cases.length) {
      await send(cases[next++]!);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}

const rssBytes = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe('fuzz: connlab proxy in front of PostgreSQL 15', () => {
  let postgres: RealPostgres;
  let proxy: RunningProxy;
  const config = () => ({ host: proxy.host, port: proxy.port, user: 'postgres', password: 'postgres', database: 'postgres' });
  const serves = async () => {
    const client = new pg.Client(config());
    await client.connect();
    const { rows } = await client.query('SELECT $1::int + 1 AS n', [41]);
    await client.end();
    return rows[0].n as number;
  };

  beforeAll(async () => {
    postgres = await startRealPostgres({ settings: { max_connections: 40 } });
    proxy = await startConnlabProxy(postgres);
  });
  afterAll(async () => {
    await proxy?.stop();
    postgres?.stop();
  });

  it('agrees with PostgreSQL 15 on the limits the framing enforces', () => {
    const shown = postgres.psql("SELECT current_setting('authentication_timeout')").trim();
    expect(shown).toBe(`${protocolLimits.authenticationTimeout.value / 60_000}min`);
  });

  it(`survives ${CASES} malformed clients (seed ${SEED}) and a few that stream megabytes, then serves a normal client with its memory back within bounds`, async () => {
    expect(await serves()).toBe(42);
    const before = rssBytes(proxy.pid);
    const cases = frontendFuzzCases(SEED, CASES, { user: 'postgres', password: 'postgres', database: 'postgres' });
    // Streams: a message under the buffer cap that never completes, and startup headers nobody should buffer for.
    const login = [startupPacket({ user: 'postgres', database: 'postgres' }), passwordMessage('postgres')];
    const eightMiB = Array.from({ length: 8 }, () => Buffer.alloc(1 << 20, 0x20));
    const streams: FuzzCase[] = [
      ...Array.from({ length: 4 }, (_, i) => ({ name: `stream ${i}: a 32 MiB query cut at 8 MiB`, writes: [...login, message('Q', Buffer.alloc(0), 32 << 20), ...eightMiB] })),
      ...Array.from({ length: 2 }, (_, i) => ({ name: `stream ${i}: startup length 0x7fffffff then 8 MiB`, writes: [int32(0x7fff_ffff), int32(PROTOCOL_3), ...eightMiB] })),
    ];
    const done = await runCases([...cases, ...streams], (c) => exchange(new net.Socket(), proxy.port, proxy.host, c.writes));
    expect(done).toBe(cases.length + streams.length);
    expect(proxy.alive()).toBe(true);
    expect(await serves()).toBe(42);
    // The -1 length used to grow it by gigabytes; what a bounded fuzz leaves behind is garbage not yet collected.
    expect(rssBytes(proxy.pid) - before).toBeLessThan(128 << 20);
    const { code, output } = await proxy.stop();
    expect(code).toBe(0);
    expect(output).toMatch(/ClientConnections\s+now 0,/);
    expect(output).toContain('invalid length of startup packet');
    expect(output).toContain('invalid message length');
    expect(output).not.toMatch(/RangeError|TypeError|at .*\.ts:\d+/);
  });
});

describe('fuzz: the virtual server', () => {
  let bench: Workbench;
  type VirtualNet = { Socket: new () => Parameters<typeof exchange>[0] };
  const login = { user: 'app', password: 'app-password', database: 'postgres' };
  const send = (writes: readonly Buffer[], halfClose = true) => exchange(new (bench.network.netModuleFor(bench.client) as unknown as VirtualNet).Socket(), bench.port, bench.host, writes, { halfClose });
  const serves = async () => {
    const Client = (bench.pg as unknown as { Client: new (config: object) => { connect(): Promise<void>; query(sql: string, values?: unknown[]): Promise<{ rows: Array<{ n: number }> }>; end(): Promise<void> } }).Client;
    const client = new Client({ host: bench.host, port: bench.port, ...login });
    await client.connect();
    const { rows } = await client.query('SELECT $1::int + 1 AS n', [41]);
    await client.end();
    return rows[0]!.n;
  };

  beforeAll(async () => {
    bench = await openWorkbench(nodeHost);
  });
  afterAll(async () => {
    await bench?.close();
  });

  it.each([
    ['a startup length of 0', [Buffer.concat([int32(0), int32(PROTOCOL_3)])], []],
    ['a startup length of -1', [Buffer.concat([int32(-1), int32(PROTOCOL_3)])], []],
    ['a message length of -1 after login', [startupPacket(login), passwordMessage(login.password), message('Q', Buffer.alloc(0), -1)], ['R', 'R']],
    ['an unknown message type after login', [startupPacket(login), passwordMessage(login.password), Buffer.from('z')], ['R', 'R', 'E:invalid frontend message type 122']],
  ] as Array<[string, Buffer[], string[]]>)('closes the connection that sends %s, as PostgreSQL does, and serves the next client', async (_name, writes, replies) => {
    const result = await bench.run(async () => ({ seen: await send(writes, false), n: await serves() }));
    const types = replyTypes(result.seen.received);
    // AuthenticationCleartextPassword, AuthenticationOk, ParameterStatus…, BackendKeyData, ReadyForQuery, then the verdict.
    const verdict = types.filter((t) => t === 'R' || t.startsWith('E'));
    expect(verdict).toEqual(replies);
    expect(result.n).toBe(42);
    expect(bench.server.active).toBe(0);
  });

  it(`survives ${CASES} malformed clients (seed ${SEED}) and serves a normal client afterwards`, async () => {
    const cases = frontendFuzzCases(SEED + 1, CASES, login);
    const result = await bench.run(async () => ({ done: await runCases(cases, (c) => send(c.writes)), n: await serves() }));
    expect(result.done).toBe(CASES);
    expect(result.n).toBe(42);
    expect(bench.server.active).toBe(0);
    expect(bench.uncaught).toEqual([]);
  });
});
