/**
 * Issue 11, point 6, on the virtual PostgreSQL: keys named by input are looked up as own properties
 * only, an unknown `database` is answered as the Data API answers it, and a hundred database names
 * or several logins share the service's one bounded set of connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiEmulator } from '../../../src/engine/dataapi/index.ts';
import { virtualCluster } from '../../../src/engine/dataapi/virtual.ts';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';

const resourceArn = 'arn:aws:rds:us-east-1:123456789012:cluster:orders';
const appSecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-app';
const adminSecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-admin';
const base = { resourceArn, secretArn: appSecret, database: 'postgres' };
const PROTOTYPE_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

let bench: Workbench;
beforeAll(async () => {
  bench = await openWorkbench(nodeHost);
});
afterAll(() => bench.close());

const emulatorWith = (poolConnections: number) =>
  new DataApiEmulator({
    timers: bench.timers,
    cluster: virtualCluster({
      pg: bench.pg,
      host: bench.host,
      port: bench.port,
      resourceArn,
      secrets: { [appSecret]: { username: 'app', password: 'app-password' }, [adminSecret]: { username: 'postgres', password: 'postgres' } },
      endpointUnavailable: null,
    }),
    latency: false,
    poolConnections,
  });

/** One call's answer; inside `bench.run`, which drives the virtual clock. */
const answerOf = async (emulator: DataApiEmulator, body: Record<string, unknown>) => {
  const answer = await emulator.respond('/Execute', JSON.stringify(body));
  return { status: answer.statusCode, type: answer.headers['x-amzn-errortype'], body: JSON.parse(answer.body) as Record<string, unknown> };
};
const respond = (emulator: DataApiEmulator, body: Record<string, unknown>) => bench.run(() => answerOf(emulator, body));

describe('keys named by input', () => {
  it.each(PROTOTYPE_KEYS)('a secretArn of %s names no secret', async (secretArn) => {
    const emulator = emulatorWith(2);
    const answer = await respond(emulator, { ...base, secretArn, sql: 'SELECT 1' });
    expect(answer).toEqual({ status: 400, type: 'BadRequestException', body: { message: `Error fetching secret ${secretArn} : Secrets Manager can't find the specified secret.` } });
    expect(emulator.stats.peakConnectionsInUse).toBe(0);
    await bench.run(() => emulator.close());
  });

  it.each(PROTOTYPE_KEYS)('a typeHint of %s is not a type', async (typeHint) => {
    const emulator = emulatorWith(2);
    const answer = await respond(emulator, { ...base, sql: 'SELECT :v AS v', parameters: [{ name: 'v', typeHint, value: { stringValue: '1' } }] });
    expect(answer).toEqual({ status: 400, type: 'BadRequestException', body: { message: `Invalid typeHint '${typeHint}' for parameter 'v'` } });
    await bench.run(() => emulator.close());
  });

  it('an operation path named after a prototype key is not an operation', async () => {
    const emulator = emulatorWith(2);
    for (const key of PROTOTYPE_KEYS) {
      const answer = await bench.run(() => emulator.respond(`/${key}`, JSON.stringify(base)));
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['x-amzn-errortype']).toBe('NotFoundException');
    }
    await bench.run(() => emulator.close());
  });
});

describe('the database a call names', () => {
  it('answers a database the cluster does not have as the service does (DatabaseErrorException, 3D000)', async () => {
    const emulator = emulatorWith(4);
    const answer = await respond(emulator, { ...base, database: 'orders', sql: 'SELECT 1' });
    expect(answer).toEqual({ status: 400, type: 'DatabaseErrorException', body: { message: 'ERROR: database "orders" does not exist; SQLState: 3D000' } });
    await bench.run(() => emulator.close());
  });

  it('a hundred database names open no pool each: no 53300, and the real database still answers', async () => {
    const emulator = emulatorWith(4);
    const names = Array.from({ length: 100 }, (_, i) => `tenant_${i}`);
    const answers = await bench.run(() => Promise.all(names.map((database) => answerOf(emulator, { ...base, database, sql: 'SELECT 1' }))));
    expect(new Set(answers.map((a) => a.type))).toEqual(new Set(['DatabaseErrorException']));
    const ok = await respond(emulator, { ...base, sql: 'SELECT 1 AS one' });
    expect(ok.body.records).toEqual([[{ longValue: 1 }]]);
    expect(bench.server.active).toBeLessThanOrEqual(4);
    await bench.run(() => emulator.close());
  });

  it('several logins share the cluster budget of connections (here 3), not a budget each', async () => {
    const emulator = emulatorWith(3);
    const calls = () => Array.from({ length: 24 }, (_, i) => answerOf(emulator, { ...base, secretArn: i % 2 ? adminSecret : appSecret, sql: 'SELECT count(*) FROM generate_series(1, 2000)' }));
    const answers = await bench.run(() => Promise.all(calls()));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(emulator.stats.peakConnectionsInUse).toBeLessThanOrEqual(3);
    expect(bench.server.active).toBeLessThanOrEqual(3);
    await bench.run(() => emulator.close());
    await bench.run(() => bench.sleep(1_000));
    expect(bench.server.active).toBe(0);
  });
});
