/**
 * The virtual Lambda through runSandbox, with small in-memory sandboxes: concurrency and scaling
 * limits, the environment lifecycle (INIT, INVOKE, FROZEN, reclaimed), handler loading and logs.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { RDS_CA_BUNDLE_PATH } from '../../../src/engine/lambda/modules.ts';
import { runSandbox } from '../../../src/run/run.ts';
import { sandboxSchema, type SandboxSource } from '../../../src/sandboxes/schema.ts';

function sandbox(handler: string, overrides: { lambda?: object; traffic?: object[]; durationMs?: number; file?: string; extension?: string; detailedReport?: boolean } = {}): SandboxSource {
  const file = overrides.file ?? 'handler.mjs';
  const definition = sandboxSchema.parse({
    id: 'test',
    title: 'test',
    summary: 'test',
    pattern: 'test',
    seed: 7,
    durationMs: overrides.durationMs ?? 20_000,
    parameters: [],
    database: { host: 'db.test', port: 5432, instanceClass: 'db.t3.micro', users: { app: 'pw' }, setupSql: 'SELECT 1' },
    lambda: { name: 'fn', memoryMb: 256, timeoutMs: 3000, idleLifetimeMs: 600_000, env: { PGHOST: 'db.test', PGUSER: 'app', PGPASSWORD: 'pw', PGDATABASE: 'postgres', GREETING: 'hello' }, ...overrides.lambda },
    traffic: overrides.traffic ?? [{ kind: 'spike', startMs: 0, durationMs: 1, concurrency: 1, rampMs: 0, thinkMs: 0, retryDelayMs: 0 }],
    variants: [{ id: 'v', label: 'v', handler: file, description: 'v', ...(overrides.extension ? { extension: overrides.extension } : {}) }],
    detailedReport: overrides.detailedReport ?? false,
    expectations: [],
    notModelled: ['tests'],
  });
  return { definition, files: { [file]: handler } };
}

const once = (atMs: number) => ({ kind: 'spike', startMs: atMs, durationMs: 1, concurrency: 1, rampMs: 0, thinkMs: 0, retryDelayMs: 0 });
const sleepHandler = `export const handler = async () => { await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS))); return 'ok'; };`;

describe('virtual Lambda: concurrency and scaling', () => {
  it('throttles past reserved concurrency with TooManyRequestsException "Rate Exceeded."', async () => {
    const report = await runSandbox(nodeHost, {
      sandbox: sandbox(sleepHandler, {
        lambda: { reservedConcurrency: 10, env: { SLEEP_MS: '1000' } },
        traffic: [{ kind: 'spike', startMs: 0, durationMs: 3000, concurrency: 30, rampMs: 0, thinkMs: 0, retryDelayMs: 500 }],
      }),
    });
    expect(report.lambda).toEqual({ concurrencyLimit: 10, peakConcurrency: 10 });
    expect(report.invocations.throttled).toBeGreaterThan(0);
    expect(report.errors).toEqual([{ code: 'TooManyRequestsException', message: 'Rate Exceeded.', count: report.invocations.throttled }]);
    expect(Math.max(...report.series.Throttles)).toBeGreaterThan(0);
  });

  it('starts at most 1,000 environments per 10 s per function', async () => {
    const report = await runSandbox(nodeHost, {
      sandbox: sandbox(`export const handler = async () => { await new Promise((r) => setTimeout(r, 15000)); };`, {
        lambda: { accountConcurrency: 5000, timeoutMs: 20_000 },
        durationMs: 14_000,
        traffic: [{ kind: 'spike', startMs: 0, durationMs: 14_000, concurrency: 1200, rampMs: 1000, thinkMs: 0, retryDelayMs: 1000 }],
      }),
    });
    const alive = report.series.EnvironmentsAlive;
    expect(Math.max(...alive.slice(0, 10))).toBe(1000);
    expect(Math.max(...alive)).toBe(1200);
    expect(report.errors[0]).toMatchObject({ code: 'TooManyRequestsException', message: 'Rate Exceeded.' });
  });
});

describe('virtual Lambda: the environment lifecycle', () => {
  it('freezes an environment between invocations: its timers do not fire', async () => {
    const handler = `
      let ticks = 0;
      setInterval(() => { ticks++; }, 1000);
      export const handler = async () => { console.log('ticks', ticks); return ticks; };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler, { traffic: [once(0), once(10_000)] }) });
    const lines = report.logs.flatMap((log) => log.lines).filter((line) => line.includes('\tINFO\t'));
    // Ten virtual seconds passed between the two invocations, frozen: no tick ran.
    expect(lines.map((line) => line.split('\t').at(-1))).toEqual(['ticks 0', 'ticks 0']);
    expect(report.coldStarts).toBe(1);
  });

  it('writes CloudWatch-style START, END and REPORT lines, with Init Duration on cold starts only', async () => {
    const report = await runSandbox(nodeHost, { sandbox: sandbox(`export const handler = async (event) => { console.log('greeting', process.env.GREETING, event); return 1; };`, { traffic: [once(0), once(5000)] }) });
    const [cold, warm] = report.logs;
    expect(cold!.lines).toHaveLength(4);
    expect(cold!.lines[0]).toBe(`START RequestId: ${cold!.requestId} Version: $LATEST`);
    expect(cold!.lines[1]).toMatch(new RegExp(`^2026-01-01T00:00:00\\.\\d{3}Z\\t${cold!.requestId}\\tINFO\\tgreeting hello \\{\\}$`));
    expect(cold!.lines[2]).toBe(`END RequestId: ${cold!.requestId}`);
    expect(cold!.lines[3]).toMatch(/^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tInit Duration: \d+\.\d\d ms$/);
    expect(warm!.lines[3]).not.toContain('Init Duration');
    expect(warm!.lines[1]).toMatch(/^2026-01-01T00:00:05\.\d{3}Z/);
  });

  it('logs INIT output before START, without a request id', async () => {
    const report = await runSandbox(nodeHost, { sandbox: sandbox(`console.log('connecting'); export const handler = async () => 1;`) });
    const [log] = report.logs;
    expect(log!.lines[0]).toMatch(/^2026-01-01T00:00:00\.\d{3}Z\tundefined\tINFO\tconnecting$/);
    expect(log!.lines[1]).toBe(`START RequestId: ${log!.requestId} Version: $LATEST`);
  });

  it('reclaims idle environments after their lifetime, without a shutdown hook', async () => {
    const report = await runSandbox(nodeHost, { sandbox: sandbox(`export const handler = async () => 1;`, { lambda: { idleLifetimeMs: 5000 }, traffic: [once(0)], durationMs: 10_000 }) });
    expect(report.environments).toEqual({ peak: 1, reclaimed: 1, crashed: 0 });
    expect(report.series.EnvironmentsAlive.at(-1)).toBe(0);
    expect(report.events.entries.map((e) => e.kind)).toEqual(['cold-start', 'reclaimed']);
  });

  it('times out a handler at the function timeout and replaces its environment', async () => {
    const report = await runSandbox(nodeHost, { sandbox: sandbox(sleepHandler, { lambda: { timeoutMs: 1000, env: { SLEEP_MS: '5000' } }, traffic: [once(0), once(3000)] }) });
    expect(report.errors).toEqual([{ code: 'Sandbox.Timedout', message: 'Task timed out after 1.00 seconds', count: 2 }]);
    expect(report.coldStarts).toBe(2);
    // CloudWatch's lines for a timeout: the platform's message (no level) before END, and Status: timeout in REPORT.
    const [log] = report.logs;
    expect(log!.lines.at(-3)).toMatch(new RegExp(`^2026-01-01T00:00:01\\.\\d{3}Z ${log!.requestId} Task timed out after 1\\.00 seconds$`));
    expect(log!.lines.at(-1)).toMatch(/\tDuration: 1000\.00 ms\tBilled Duration: 1000 ms\tMemory Size: 256 MB\tInit Duration: \d+\.\d\d ms\tStatus: timeout$/);
    expect(log!.lines.join('\n')).not.toContain('Runtime.ExitError');
    expect(report.lambda.timeouts).toBeUndefined();
  });

  it('counts timeouts and the billed duration when the sandbox asks for the detailed report', async () => {
    const report = await runSandbox(nodeHost, {
      sandbox: sandbox(sleepHandler, { detailedReport: true, lambda: { timeoutMs: 1000, env: { SLEEP_MS: '5000' } }, traffic: [once(0), once(3000)] }),
    });
    // Two invocations billed their full second each: the timeout, rounded to the 1 ms granularity.
    expect(report.lambda).toMatchObject({ timeouts: 2, billedDurationMs: 2000, sigterms: 0 });
  });

  it('bills a run of short invocations as the sum of their REPORT lines', async () => {
    const report = await runSandbox(nodeHost, { sandbox: sandbox(sleepHandler, { detailedReport: true, lambda: { env: { SLEEP_MS: '20' } }, traffic: [once(0), once(1000), once(2000)] }) });
    const billed = report.logs.map((log) => Number(/Billed Duration: (\d+) ms/.exec(log.lines.at(-1)!)![1]));
    expect(billed).toHaveLength(3);
    expect(report.lambda.billedDurationMs).toBe(billed.reduce((a, b) => a + b, 0));
    expect(report.lambda.timeouts).toBe(0);
  });

  it('reports an INIT phase longer than 10 s', async () => {
    const handler = `await new Promise((r) => setTimeout(r, 12000)); export const handler = async () => 1;`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler, { lambda: { timeoutMs: 5000 } }) });
    expect(report.events.entries.find((e) => e.kind === 'init-timeout')?.text).toBe('INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout');
    expect(report.invocations.succeeded).toBe(1);
  });
});

describe('virtual Lambda: handler loading', () => {
  it('loads TypeScript, resolves both import forms of pg to one instance per environment', async () => {
    const handler = `
      import pg from 'pg';
      import { Pool, Client } from 'pg';
      // A module instance another environment already loaded would carry the mark.
      const fresh = (pg as any).marked === undefined;
      (pg as any).marked = true;
      export const handler = async (): Promise<number> => {
        const same: boolean = pg.Pool === Pool && pg.Client === Client;
        console.log('same', same, 'fresh', fresh);
        return 1;
      };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler, { file: 'handler.ts', traffic: [{ kind: 'spike', startMs: 0, durationMs: 1, concurrency: 3, rampMs: 0, thinkMs: 0, retryDelayMs: 0 }] }) });
    const lines = report.logs.flatMap((log) => log.lines).filter((line) => line.includes('\tINFO\t')).map((line) => line.split('\t').at(-1));
    expect(report.coldStarts).toBe(3);
    expect(lines).toEqual(['same true fresh true', 'same true fresh true', 'same true fresh true']);
  });

  it('gives a handler the RDS CA bundle at its layer path, labelled simulated, and connects with TLS verification asked for', async () => {
    const handler = `
      import { readFileSync } from 'node:fs';
      import pg from 'pg';
      const ca = readFileSync('${RDS_CA_BUNDLE_PATH}', 'utf8');
      console.log(ca.split('\\n')[0]);
      try {
        readFileSync('/opt/other.pem');
      } catch (error) {
        console.log(error.code, error.message);
      }
      export const handler = async () => {
        const client = new pg.Client({ ssl: { ca, rejectUnauthorized: true } });
        await client.connect();
        try {
          return (await client.query('SELECT 1 AS n')).rows[0].n;
        } finally {
          await client.end();
        }
      };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler) });
    const lines = report.logs.flatMap((log) => log.lines).filter((line) => line.includes('\tINFO\t')).map((line) => line.split('\t').at(-1));
    expect(lines).toEqual(['# Simulated RDS CA bundle: the simulator negotiates TLS but neither encrypts nor verifies it.', "ENOENT ENOENT: no such file or directory, open '/opt/other.pem'"]);
    expect(report.errors).toEqual([]);
    expect(report.invocations.succeeded).toBe(1);
  });

  it('ends the environment on an unhandled rejection, as the Node.js runtime does, without ending the run', async () => {
    const handler = `export const handler = async () => { Promise.reject(new Error('forgotten')); await new Promise((r) => setTimeout(r, 10)); return 1; };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler, { traffic: [once(0), once(1000)] }) });
    expect(report.errors).toEqual([{ code: 'Runtime.UnhandledPromiseRejection', message: 'Error: forgotten', count: 2 }]);
    expect(report.environments.crashed).toBe(2);
  });

  it('fails an invocation whose handler throws, keeping the environment', async () => {
    const report = await runSandbox(nodeHost, { sandbox: sandbox(`export const handler = async () => { throw Object.assign(new Error('nope'), { name: 'ValidationError' }); };`, { traffic: [once(0), once(1000)] }) });
    expect(report.errors).toEqual([{ code: 'ValidationError', message: 'nope', count: 2 }]);
    expect(report.coldStarts).toBe(1);
  });
});

describe('virtual Lambda: the Shutdown phase', () => {
  // A pool at INIT; the listener closes it DELAY_MS after SIGTERM (0: at once).
  const poolHandler = (listener: boolean) => `
    import { Pool } from 'pg';
    const pool = new Pool({ max: 1 });
    ${listener ? `process.on('SIGTERM', async () => { await new Promise((r) => setTimeout(r, Number(process.env.DELAY_MS))); await pool.end(); });` : ''}
    export const handler = async () => (await pool.query('SELECT 1 AS one')).rows[0].one;`;
  const reclaimed = (handler: string, extension: string, delayMs = 0) =>
    runSandbox(nodeHost, { sandbox: sandbox(handler, { extension, detailedReport: true, lambda: { idleLifetimeMs: 5000, env: { PGHOST: 'db.test', PGUSER: 'app', PGPASSWORD: 'pw', PGDATABASE: 'postgres', DELAY_MS: String(delayMs) } }, traffic: [once(0)], durationMs: 10_000 }) });

  it('sends no SIGTERM without an extension: the reclaimed environment leaves its connection open', async () => {
    const report = await reclaimed(poolHandler(true), 'none');
    expect(report.lambda.sigterms).toBe(0);
    expect(report.series.ZombieConnections.at(-1)).toBe(1);
    expect(report.database.closesByReason).toEqual({});
  });

  it('with an internal extension, runs the SIGTERM listener before SIGKILL: pool.end() closes the connection with Terminate', async () => {
    const report = await reclaimed(poolHandler(true), 'internal');
    expect(report.lambda.sigterms).toBe(1);
    expect(report.database.closesByReason).toEqual({ terminate: 1 });
    expect(report.series.ZombieConnections.at(-1)).toBe(0);
    expect(report.events.entries.map((e) => e.kind)).toEqual(['cold-start', 'sigterm', 'reclaimed']);
    expect(report.events.entries[1]!.text).toMatch(/SIGTERM to the runtime \(internal extension\), SIGKILL 500 ms later$/);
  });

  it('gives the runtime 500 ms with an internal extension and 300 ms with an external one, then SIGKILL', async () => {
    const internal = await reclaimed(poolHandler(true), 'internal', 400);
    const external = await reclaimed(poolHandler(true), 'external', 400);
    expect(internal.database.closesByReason).toEqual({ terminate: 1 });
    // 400 ms is past the external grace: the microVM is gone before pool.end() runs.
    expect(external.database.closesByReason).toEqual({});
    expect(external.series.ZombieConnections.at(-1)).toBe(1);
  });

  it("without a listener, SIGTERM's default action ends the process: the kernel closes the socket, without Terminate", async () => {
    const report = await reclaimed(poolHandler(false), 'internal');
    expect(report.lambda.sigterms).toBe(1);
    expect(report.database.closesByReason).toEqual({ 'client-fin': 1 });
    expect(report.series.ZombieConnections.at(-1)).toBe(0);
  });
});
