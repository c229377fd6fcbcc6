/**
 * Handler code is untrusted (a share link can carry a stranger's): each probe below is something a
 * hostile handler tried, and each must leave the engine, the host and the next run as they were.
 * Replacements wrap the original, so that on an engine without isolation the probe is observed
 * (and the test fails) without breaking the test runner itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { runSandbox } from '../../../src/run/run.ts';
import type { RunReport } from '../../../src/run/report.ts';
import { sandboxSchema, type SandboxSource } from '../../../src/sandboxes/schema.ts';

function sandbox(handler: string, concurrency = 1): SandboxSource {
  const definition = sandboxSchema.parse({
    id: 'isolation',
    title: 'isolation',
    summary: 'isolation',
    pattern: 'test',
    seed: 11,
    durationMs: 3000,
    parameters: [],
    database: { host: 'db.test', port: 5432, instanceClass: 'db.t3.micro', users: { app: 'pw' }, setupSql: 'SELECT 1' },
    lambda: { name: 'fn', memoryMb: 256, timeoutMs: 3000, idleLifetimeMs: 600_000, env: { PGHOST: 'db.test', PGUSER: 'app', PGPASSWORD: 'pw', PGDATABASE: 'postgres' } },
    traffic: [{ kind: 'spike', startMs: 0, durationMs: 1, concurrency, rampMs: 0, thinkMs: 0, retryDelayMs: 0 }],
    variants: [{ id: 'v', label: 'v', handler: 'handler.mjs', description: 'v' }],
    expectations: [],
    notModelled: ['tests'],
  });
  return { definition, files: { 'handler.mjs': handler } };
}

const run = (handler: string, concurrency = 1) => runSandbox(nodeHost, { sandbox: sandbox(handler, concurrency) });
/** What the handlers printed with console.log, one entry per line. */
const printed = (report: RunReport) =>
  report.logs
    .flatMap((log) => log.lines)
    .filter((line) => line.includes('\tINFO\t'))
    .map((line) => line.split('\t').at(-1)!);
const withoutWall = ({ wallMs: _wallMs, ...rest }: RunReport) => rest;

/** A handler that queries the database: its report is the yardstick for "the next run is clean". */
const plain = `
  import pg from 'pg';
  const pool = new pg.Pool({ max: 1 });
  export const handler = async () => {
    const { rows } = await pool.query('SELECT 1 AS one');
    console.log(JSON.stringify({ rows, pushed: [1, 2].concat([3]).length, json: JSON.stringify({ a: [1] }), now: new Date().toISOString(), max: Math.max(1, 2) }));
    return rows[0].one;
  };`;

describe('handler isolation: intrinsics', () => {
  it('cannot replace Promise, Date, Math, Array.prototype.push or add Object.prototype.toJSON, and the next run is unchanged', async () => {
    const before = await run(plain);
    const originals = { push: Array.prototype.push, then: Promise.prototype.then, toISOString: Date.prototype.toISOString, max: Math.max, Promise, Date, Math };
    const hostile = `
      const tried = {};
      const attempt = (name, change) => { try { change(); tried[name] = 'changed'; } catch (error) { tried[name] = error.constructor.name; } };
      const push = Array.prototype.push, then = Promise.prototype.then, max = Math.max, iso = Date.prototype.toISOString;
      attempt('Array.prototype.push', () => { Array.prototype.push = function (...items) { return push.apply(this, items); }; });
      attempt('Promise.prototype.then', () => { Promise.prototype.then = function (a, b) { return then.call(this, a, b); }; });
      attempt('Object.prototype.toJSON', () => { Object.prototype.toJSON = function () { return 'forged'; }; });
      attempt('Math.max', () => { Math.max = (...n) => max(...n); });
      attempt('Date.prototype.toISOString', () => { Date.prototype.toISOString = function () { return iso.call(this); }; });
      attempt('Object.getPrototypeOf([]).push', () => { Object.getPrototypeOf([]).push = push; });
      export const handler = async () => { console.log(JSON.stringify(tried)); return 1; };`;
    const report = await run(hostile);
    expect(JSON.parse(printed(report)[0]!)).toEqual({
      'Array.prototype.push': 'TypeError',
      'Promise.prototype.then': 'TypeError',
      'Object.prototype.toJSON': 'TypeError',
      'Math.max': 'TypeError',
      'Date.prototype.toISOString': 'TypeError',
      'Object.getPrototypeOf([]).push': 'TypeError',
    });
    expect({ push: Array.prototype.push, then: Promise.prototype.then, toISOString: Date.prototype.toISOString, max: Math.max, Promise, Date, Math }).toEqual(originals);
    expect(Object.prototype).not.toHaveProperty('toJSON');
    expect(withoutWall(await run(plain))).toEqual(withoutWall(before));
  }, 180_000);

  it('keeps replaced globals (globalThis.Promise, Date, Math) inside the environment that replaced them', async () => {
    const hostile = `
      globalThis.Promise = class FakePromise {};
      globalThis.Date = class FakeDate {};
      globalThis.Math = { random: () => 4 };
      export const handler = async () => 1;`;
    await run(hostile);
    expect(globalThis.Promise.name).toBe('Promise');
    expect(globalThis.Math.max(1, 2)).toBe(2);
    const next = printed(await run(`export const handler = async () => { console.log(typeof Promise.resolve, typeof Date.now(), typeof Math.max, Math.random() < 1, new Float64Array(2).length); return 1; };`));
    expect(next).toEqual(['function number function true 2']);
  });
});

describe('handler isolation: globals', () => {
  it('does not let globalThis.x reach the next run, another environment or the host', async () => {
    const setter = `globalThis.leak = 'left behind'; export const handler = async () => { console.log(String(globalThis.leak)); return 1; };`;
    const reader = `export const handler = async () => { console.log(typeof globalThis.leak, typeof leak === 'undefined'); return 1; };`;
    expect(printed(await run(setter))).toEqual(['left behind']);
    expect((globalThis as Record<string, unknown>).leak).toBeUndefined();
    expect(printed(await run(reader))).toEqual(['undefined true']);
    // Three environments of one run: each has its own global object, as each Lambda process does.
    const counter = `globalThis.count = (globalThis.count ?? 0) + 1; export const handler = async () => { console.log(globalThis.count); return 1; };`;
    expect(printed(await run(counter, 3))).toEqual(['1', '1', '1']);
  }, 180_000);

  it('cannot reach the host global object, where Node keeps process and a Worker its postMessage', async () => {
    const host = globalThis as Record<string, unknown>;
    const forged: unknown[] = [];
    host.postMessage = (message: unknown) => forged.push(message);
    host.hostMarker = 'engine';
    try {
      const hostile = `
        const found = [];
        const look = (path, get) => { try { const g = get(); if (g && (g.hostMarker === 'engine' || typeof g.postMessage === 'function')) found.push(path); } catch {} };
        look('globalThis', () => globalThis);
        look('Function("return this")', () => Function('return this')());
        look('constructor.constructor', () => ({}).constructor.constructor('return this')());
        look('async constructor', () => (async () => {}).constructor('return this'));
        look('require.constructor', () => require.constructor('return this')());
        look('setTimeout.constructor', () => setTimeout.constructor('return this')());
        look('global', () => global);
        look('sloppy this', () => (0, eval)('this'));
        for (const forge of [() => postMessage({ type: 'done', id: 1, report: null }), () => self.postMessage({ type: 'done' }), () => globalThis.postMessage({ type: 'done' })]) {
          try { forge(); } catch {}
        }
        const realProcess = ['binding', 'dlopen', 'send', 'mainModule', 'kill', 'reallyExit'].filter((name) => typeof process[name] === 'function' || process[name] !== undefined);
        export const handler = async () => { console.log(JSON.stringify({ found, realProcess })); return 1; };`;
      const report = await run(hostile);
      expect(JSON.parse(printed(report)[0]!)).toEqual({ found: [], realProcess: [] });
      expect(forged).toEqual([]);
    } finally {
      delete host.postMessage;
      delete host.hostMarker;
    }
  });
});

describe('handler isolation: network', () => {
  let server: Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds no fetch, WebSocket, EventSource, Worker or XMLHttpRequest, and no Node network module', async () => {
    const hostile = `
      const url = 'http://127.0.0.1:${'${PORT}'}/';
      const names = ['fetch', 'WebSocket', 'EventSource', 'Worker', 'SharedWorker', 'XMLHttpRequest', 'importScripts', 'navigator', 'self', 'postMessage'];
      const reachable = names.filter((name) => typeof globalThis[name] !== 'undefined');
      const tries = [];
      const attempt = async (name, go) => { try { await go(); tries.push(name + ': reached'); } catch (error) { tries.push(name + ': ' + error.constructor.name); } };
      await attempt('fetch', () => fetch(url));
      await attempt('WebSocket', () => new WebSocket(url.replace('http', 'ws')));
      await attempt('EventSource', () => new EventSource(url));
      await attempt('Worker', () => new Worker('data:text/javascript,fetch("' + url + '")'));
      for (const name of ['http', 'node:http', 'https', 'child_process', 'worker_threads', 'undici', 'node:net']) await attempt(name, () => require(name).request(url).end());
      await attempt('dynamic import', async () => (await import('node:http')).get(url));
      export const handler = async () => { console.log(JSON.stringify({ reachable, tries })); return 1; };`;
    const report = await run(hostile.replace('${PORT}', String(port)));
    const { reachable, tries } = JSON.parse(printed(report)[0]!) as { reachable: string[]; tries: string[] };
    expect(reachable).toEqual([]);
    expect(tries.filter((line) => line.endsWith('reached'))).toEqual([]);
    // The virtual network is still what `net` gives a handler: connecting to a real port fails there.
    expect(requests).toBe(0);
  });
});

describe('handler isolation: shared modules', () => {
  it('cannot change EventEmitter, Buffer, the net sockets, the built-ins or the AWS SDK for the engine and later runs', async () => {
    const hostile = `
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      const tried = {};
      const attempt = (name, change) => { try { change(); tried[name] = 'changed'; } catch (error) { tried[name] = error.constructor.name; } };
      const wrap = (object, key) => { const original = object[key]; object[key] = function (...args) { return original.apply(this, args); }; };
      attempt('process prototype emit', () => wrap(Object.getPrototypeOf(process), 'emit'));
      attempt('events', () => wrap(require('events').prototype, 'emit'));
      attempt('Buffer.prototype.toString', () => wrap(Buffer.prototype, 'toString'));
      attempt('Buffer.from', () => wrap(Buffer, 'from'));
      attempt('net Socket write', () => wrap(require('net').Socket.prototype, 'write'));
      attempt('util.format', () => wrap(require('util'), 'format'));
      attempt('crypto subtle', () => wrap(require('crypto').webcrypto.subtle, 'digest'));
      attempt('DynamoDBClient send', () => wrap(Object.getPrototypeOf(DynamoDBClient.prototype), 'send'));
      export const handler = async () => { console.log(JSON.stringify(tried)); return 1; };`;
    const report = await run(hostile);
    const tried = JSON.parse(printed(report)[0]!) as Record<string, string>;
    expect(Object.entries(tried).filter(([, result]) => result === 'changed')).toEqual([]);
    expect(Object.keys(tried)).toHaveLength(8);
  });

  it("keeps each environment's IAM signers its own: what one marks on them no other environment of the run sees, and each dates its tokens with its own virtual clock", async () => {
    // Each environment's module code runs to its first await before the next environment's starts,
    // so the second and third environments look after the first one has marked what it can reach.
    const marker = `
      import { DsqlSigner } from '@aws-sdk/dsql-signer';
      import { Signer } from '@aws-sdk/rds-signer';
      const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' };
      const dsql = new DsqlSigner({ hostname: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials });
      const rds = new Signer({ hostname: 'db.test', port: 5432, username: 'app', region: 'us-east-1', credentials });
      const reachable = {
        DsqlSigner, 'DsqlSigner.prototype': DsqlSigner.prototype, Signer, 'Signer.prototype': Signer.prototype,
        sha256: dsql.sha256, 'sha256.prototype': dsql.sha256.prototype, 'rds sha256.prototype': rds.sha256.prototype,
      };
      const seen = Object.entries(reachable).filter(([, object]) => Object.hasOwn(object, 'forged')).map(([name]) => name);
      const marked = Object.entries(reachable).filter(([, object]) => { try { object.forged = true; return true; } catch { return false; } }).map(([name]) => name);
      const tokens = await Promise.all([dsql.getDbConnectAuthToken(), rds.getAuthToken()]);
      export const handler = async () => { console.log(JSON.stringify({ seen, marked, dates: tokens.map((token) => /X-Amz-Date=(\\w+)/.exec(token)[1]) })); return 1; };`;
    const lines = printed(await run(marker, 3)).map((line) => JSON.parse(line) as { seen: string[]; marked: string[]; dates: string[] });
    expect(lines).toHaveLength(3);
    for (const { seen, marked, dates } of lines) {
      expect(seen).toEqual([]);
      // The signers' own classes are per environment; the hashing class they share is frozen.
      expect(marked).toEqual(['DsqlSigner', 'DsqlSigner.prototype', 'Signer', 'Signer.prototype']);
      expect(dates).toEqual(['20260101T000000Z', '20260101T000000Z']);
    }
  });

  it('hands out timer handles that carry none of the scheduler: a handler cannot move or re-own its events', async () => {
    const handler = `export const handler = async () => {
      const handles = [setTimeout(() => {}, 1000), setInterval(() => {}, 1000), setImmediate(() => {})];
      const exposed = handles.flatMap((h) => Object.getOwnPropertyNames(h).concat(Object.getOwnPropertyNames(Object.getPrototypeOf(h))))
        .filter((name) => name !== '__proto__').filter((name) => { try { const v = handles.find((h) => name in h)[name]; return v !== null && typeof v === 'object'; } catch { return false; } });
      handles.forEach((h) => { clearTimeout(h); clearInterval(h); clearImmediate(h); });
      console.log(JSON.stringify(exposed));
      return 1;
    };`;
    expect(printed(await run(handler))).toEqual(['[]']);
  });

  it('cannot change the timer handle classes every environment shares, for another environment or the next run', async () => {
    const hostile = `
      const tried = {};
      const attempt = (name, change) => { try { change(); tried[name] = 'changed'; } catch (error) { tried[name] = error.constructor.name; } };
      const wrap = (object, key) => { const original = object[key]; object[key] = function (...args) { return original.apply(this, args); }; };
      const timeout = setTimeout(() => {}, 1000);
      const immediate = setImmediate(() => {});
      attempt('Timeout refresh', () => wrap(Object.getPrototypeOf(timeout), 'refresh'));
      attempt('Timeout unref', () => wrap(Object.getPrototypeOf(timeout), 'unref'));
      attempt('Timeout class', () => { Object.getPrototypeOf(timeout).constructor.extra = 1; });
      attempt('Immediate hasRef', () => wrap(Object.getPrototypeOf(immediate), 'hasRef'));
      clearTimeout(timeout);
      export const handler = async () => { console.log(JSON.stringify(tried)); return 1; };`;
    const before = withoutWall(await run(plain));
    const tried = JSON.parse(printed(await run(hostile, 2))[0]!) as Record<string, string>;
    expect(Object.entries(tried).filter(([, result]) => result === 'changed')).toEqual([]);
    expect(Object.keys(tried)).toHaveLength(4);
    expect(withoutWall(await run(plain))).toEqual(before);
  });

  it('gives Math.random from the run seed, so an edited handler that uses it still runs deterministically', async () => {
    const handler = `export const handler = async () => { console.log(Math.random()); return 1; };`;
    const [a, b] = [printed(await run(handler)), printed(await run(handler))];
    expect(a).toEqual(b);
    expect(Number(a[0])).toBeGreaterThanOrEqual(0);
  });
});
