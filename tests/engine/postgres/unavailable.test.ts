/**
 * The virtual server's failover window (`unavailable`): at its start the open connections are reset,
 * during it a new connection completes TCP but its start-up packet is never answered, and after it
 * new connections are served again. Driven with the real `pg` on a workbench.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Pg = { Client: new (config: object) => any };

let bench: Workbench | null = null;
afterEach(async () => {
  await bench?.close();
  bench = null;
});

const outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: Error) => error.message,
  );

describe('virtual server: a failover window', () => {
  it('resets open connections at its start, leaves new start-ups unanswered during it, and serves again after it', async () => {
    bench = await openWorkbench(nodeHost, { unavailable: { startMs: 1_000, endMs: 5_000 } });
    const b = bench;
    const pg = b.pg as unknown as Pg;
    const config = { host: b.host, port: b.port, user: 'app', password: 'app-password', database: 'postgres' };
    const result = await b.run(async () => {
      const before = new pg.Client(config);
      await before.connect();
      const reset = new Promise<string>((resolve) => before.on('error', (error: Error) => resolve(error.message)));
      const resetAt = reset.then((message) => ({ message, at: b.scheduler.now }));
      await b.sleep(1_500);
      // During the window: connected at the TCP level, then nothing until the client's own bound.
      const during = new pg.Client({ ...config, connectionTimeoutMillis: 2_000 });
      const startedAt = b.scheduler.now;
      const duringOutcome = await outcome(during.connect());
      const waited = b.scheduler.now - startedAt;
      await b.sleep(2_000);
      const after = new pg.Client(config);
      await after.connect();
      const { rows } = await after.query('SELECT 1 AS one');
      await after.end();
      return { reset: await resetAt, duringOutcome, waited, rows };
    });
    expect(result.reset).toEqual({ message: 'read ECONNRESET', at: expect.closeTo(1_000, -2) });
    // pg's Client words its connect timeout so; a Pool reports it as "Connection terminated due to connection timeout".
    expect(result.duringOutcome).toBe('timeout expired');
    expect(result.waited).toBe(2_000);
    expect(result.rows).toEqual([{ one: 1 }]);
    expect(b.server.stats).toMatchObject({ failoverResets: 1, unansweredStartups: 1, closesByReason: { failover: 1, terminate: 1 } });
  });

  it('without connectionTimeoutMillis, a start-up sent during the window waits past its end', async () => {
    bench = await openWorkbench(nodeHost, { unavailable: { startMs: 0, endMs: 3_000 } });
    const b = bench;
    const pg = b.pg as unknown as Pg;
    const settled = await b.run(async () => {
      const client = new pg.Client({ host: b.host, port: b.port, user: 'app', password: 'app-password', database: 'postgres' });
      let done = false;
      client.connect().then(
        () => (done = true),
        () => (done = true),
      );
      await b.sleep(30_000);
      return done;
    });
    expect(settled).toBe(false);
    expect(b.server.stats.unansweredStartups).toBe(1);
    expect(b.server.active).toBe(0);
  });
});
