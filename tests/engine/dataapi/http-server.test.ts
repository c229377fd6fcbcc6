/**
 * `connlab serve data-api`'s HTTP side (issue 11, point 6): a statement that never ends (pg_sleep,
 * an endless recursive query) gets StatementTimeoutException and no longer blocks the server, a GET
 * answers while it runs, committed data survives the database's restart, and continueAfterTimeout
 * lets a statement finish. Driven by the real AWS SDK v3 client; the call timeout is shortened from
 * 45 s so the test stays short.
 */
import { ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenDataApi, SERVED_CLUSTER, type HttpEndpoint } from '../../../src/engine/dataapi/http-server.node.ts';

let endpoint: HttpEndpoint;
let client: RDSDataClient;
const base = { resourceArn: SERVED_CLUSTER.resourceArn, secretArn: SERVED_CLUSTER.secretArn, database: SERVED_CLUSTER.database };

beforeAll(async () => {
  endpoint = await listenDataApi({ port: 0, statementTimeoutMs: 3_000 });
  client = new RDSDataClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});

const execute = (sql: string, extra: Record<string, unknown> = {}) => client.send(new ExecuteStatementCommand({ ...base, sql, ...extra }));
const failureOf = (work: Promise<unknown>) =>
  work.then(
    () => 'succeeded',
    (error: { name: string; message: string }) => `${error.name}: ${error.message}`,
  );

describe('connlab serve data-api: statements that outlive the call', () => {
  it('times out pg_sleep(50) while a GET is answered meanwhile, and keeps committed data', async () => {
    await execute('CREATE TABLE kept (id int)');
    await execute('INSERT INTO kept VALUES (1)');
    const order: string[] = [];
    const sleeping = failureOf(execute('SELECT pg_sleep(50)')).then((outcome) => {
      order.push('sleep');
      return outcome;
    });
    // Give the statement the database before asking for health.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const health = await fetch(endpoint.url);
    order.push('health');
    expect(await health.text()).toContain('healthy');
    expect(await sleeping).toBe('StatementTimeoutException: Request timed out');
    expect(order).toEqual(['health', 'sleep']);
    const kept = await execute('SELECT count(*) AS n FROM kept');
    expect(kept.records).toEqual([[{ longValue: 1 }]]);
  }, 180_000);

  it('times out an endless recursive query, and the next call is answered', async () => {
    const outcome = await failureOf(execute('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r'));
    expect(outcome).toBe('StatementTimeoutException: Request timed out');
    expect((await execute('SELECT 2 AS two')).records).toEqual([[{ longValue: 2 }]]);
  }, 180_000);

  it('continueAfterTimeout: the caller gets the timeout and the statement still completes', async () => {
    await execute('CREATE TABLE late (id int)');
    const outcome = await failureOf(execute('INSERT INTO late SELECT 1 FROM pg_sleep(5)', { continueAfterTimeout: true }));
    expect(outcome).toBe('StatementTimeoutException: Request timed out');
    // Calls wait their turn behind it, then see its row.
    expect((await execute('SELECT count(*) AS n FROM late')).records).toEqual([[{ longValue: 1 }]]);
  }, 180_000);
});
