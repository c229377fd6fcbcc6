/**
 * The virtual Aurora DSQL endpoint: the connection-rate token bucket, IAM-only authentication with
 * tokens from the real @aws-sdk/dsql-signer, and the session lifetime, driven with the real `pg` on a
 * workbench whose server has the DSQL gate (AWS's limits and texts, src/facts/aurora-dsql.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DsqlSigner } from '@aws-sdk/dsql-signer';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';
import { factDsqlEndpoint } from '../../../src/run/dsql.ts';
import { dsqlConnections, dsqlErrors } from '../../../src/facts/aurora-dsql.ts';
import type { DsqlEndpoint } from '../../../src/engine/dsql/endpoint.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Pg = { Client: new (config: object) => any };

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const hostname = 'abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws';
const cluster = { hostname, region: 'us-east-1', credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, roles: ['admin', 'app'] };
const signer = new DsqlSigner({ hostname, region: 'us-east-1', credentials });
const MINUTE = 60_000;

let bench: Workbench | null = null;
afterEach(async () => {
  await bench?.close();
  bench = null;
});

/** A workbench whose server is a DSQL cluster; its clock reads `signedAt` (real time, when the tokens were made) at virtual time 0. */
async function dsqlBench(signedAt: number): Promise<{ b: Workbench; endpoint: DsqlEndpoint; pg: Pg }> {
  let b: Workbench | null = null;
  const endpoint = factDsqlEndpoint(cluster, () => signedAt + b!.scheduler.now);
  b = bench = await openWorkbench(nodeHost, { gate: endpoint, maxConnections: dsqlConnections.maxPerCluster.value, reservedConnections: 0 });
  return { b, endpoint, pg: b.pg as unknown as Pg };
}

const outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: { code?: string; message: string }) => `${error.code} ${error.message}`,
  );

describe('Aurora DSQL endpoint: the connection rate', () => {
  it('admits the burst at once, then refuses with 53400 until the bucket refills at 100 a second', () => {
    const endpoint = factDsqlEndpoint(cluster, () => 0);
    const admitted = (atMs: number, attempts: number) => Array.from({ length: attempts }, () => endpoint.admit(atMs)).filter((refused) => refused === null).length;
    expect(admitted(0, 1_500)).toBe(1_000);
    expect(endpoint.admit(0)).toMatchObject({ C: '53400', M: 'Unable to accept connection, rate exceeded.' });
    expect(admitted(1_000, 500)).toBe(100);
    expect(admitted(1_500, 500)).toBe(50);
    // A quiet ten seconds fills the burst again, and no more than the burst.
    expect(admitted(11_500, 1_500)).toBe(1_000);
    expect(endpoint.stats.rateExceeded).toBe(500 + 1 + 400 + 450 + 500);
    expect(endpoint.stats.lowestBucket).toBe(0);
  });
});

describe('Aurora DSQL endpoint on the wire', () => {
  it('logs in with a token from @aws-sdk/dsql-signer for the role, refuses other tokens, and refuses a start-up past the rate before authentication', async () => {
    const signedAt = Math.floor(Date.now() / 1000) * 1000;
    const [admin, app] = await Promise.all([signer.getDbConnectAdminAuthToken(), signer.getDbConnectAuthToken()]);
    const { b, endpoint, pg } = await dsqlBench(signedAt);
    const config = { host: b.host, port: b.port, database: 'postgres' };
    const results = await b.run(async () => {
      const client = new pg.Client({ ...config, user: 'admin', password: admin });
      await client.connect();
      const { rows } = await client.query('SELECT 1 AS one');
      await client.end();
      return {
        rows,
        appWithItsToken: await outcome(new pg.Client({ ...config, user: 'app', password: app }).connect().then((c: any) => c.end())),
        appWithAdminToken: await outcome(new pg.Client({ ...config, user: 'app', password: admin }).connect()),
        aPassword: await outcome(new pg.Client({ ...config, user: 'admin', password: 'admin-password' }).connect()),
        unknownRole: await outcome(new pg.Client({ ...config, user: 'postgres', password: admin }).connect()),
      };
    });
    expect(results.rows).toEqual([{ one: 1 }]);
    expect(results.appWithItsToken).toBe('ok');
    for (const refused of [results.appWithAdminToken, results.aPassword, results.unknownRole]) expect(refused).toMatch(/^28000 /);
    expect(endpoint.stats.tokensRefused).toBe(3);

    // Spend the rest of the burst: of five start-ups a moment later, all but what the refill allows in
    // those milliseconds (one new connection per 10 ms) are refused with DSQL's exact text.
    while (endpoint.admit(b.scheduler.now) === null);
    const outcomes = await b.run(() => Promise.all(Array.from({ length: 5 }, () => outcome(new pg.Client({ ...config, user: 'admin', password: admin }).connect().then((c: any) => c.end())))));
    const refused = outcomes.filter((o) => o !== 'ok');
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const o of refused) expect(o).toBe(`53400 ${dsqlErrors.rateExceeded.value.message}`);
  });

  it('checks the token only at connect: an open session outlives it, and ends at 60 minutes, after the transaction it is in', async () => {
    const signedAt = Math.floor(Date.now() / 1000) * 1000;
    const token = await signer.getDbConnectAdminAuthToken();
    const { b, endpoint, pg } = await dsqlBench(signedAt);
    const config = { host: b.host, port: b.port, database: 'postgres', user: 'admin', password: token };
    const result = await b.run(async () => {
      const idle = new pg.Client(config);
      const busy = new pg.Client(config);
      await Promise.all([idle.connect(), busy.connect()]);
      const idleClosed = new Promise<{ at: number; message: string }>((resolve) => idle.on('error', (error: Error) => resolve({ at: b.scheduler.now, message: error.message })));
      await b.sleep(30 * MINUTE);
      // The token expired 15 minutes in; the session it opened goes on.
      const lateQuery = (await idle.query('SELECT 2 AS two')).rows;
      const lateConnect = await outcome(new pg.Client(config).connect());
      await b.sleep(29 * MINUTE + 59_000);
      await busy.query('BEGIN');
      await b.sleep(10_000);
      // Past the hour, inside its transaction: the session lasts until the transaction ends.
      const inTransaction = (await busy.query('SELECT 3 AS three')).rows;
      await busy.query('COMMIT');
      const afterCommit = await outcome(busy.query('SELECT 4'));
      return { lateQuery, lateConnect, inTransaction, afterCommit, idleClosed: await idleClosed };
    }, 2 * 60 * MINUTE);
    expect(result.lateQuery).toEqual([{ two: 2 }]);
    expect(result.lateConnect).toMatch(/^28000 /);
    expect(result.inTransaction).toEqual([{ three: 3 }]);
    expect(result.afterCommit).not.toBe('ok');
    expect(result.idleClosed.at).toBeCloseTo(dsqlConnections.maxSessionDuration.value, -2);
    expect(result.idleClosed.message).toMatch(/session exceeded its maximum duration/);
    expect(endpoint.stats.sessionsExpired).toBe(2);
  });
});
