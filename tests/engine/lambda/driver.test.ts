/**
 * `pg` shared by a run's execution environments (src/engine/lambda/driver.ts): one instance of its
 * code, with each environment's own module object, defaults, timers and sockets.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { runSandbox } from '../../../src/run/run.ts';
import type { RunReport } from '../../../src/run/report.ts';
import { sandboxSchema, type SandboxSource } from '../../../src/sandboxes/schema.ts';

const spike = (concurrency: number, startMs = 0) => ({ kind: 'spike', startMs, durationMs: 1, concurrency, rampMs: 0, thinkMs: 0, retryDelayMs: 0 });

function sandbox(handler: string, options: { traffic?: object[]; timeoutMs?: number; dynamodb?: boolean } = {}): SandboxSource {
  const definition = sandboxSchema.parse({
    id: 'test',
    title: 'test',
    summary: 'test',
    pattern: 'test',
    seed: 3,
    durationMs: 20_000,
    parameters: [],
    database: { host: 'db.test', port: 5432, instanceClass: 'db.t3.micro', users: { app: 'pw' }, setupSql: 'SELECT 1' },
    ...(options.dynamodb ? { dynamodb: { tables: [{ TableName: 'marks', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }] } } : {}),
    lambda: { name: 'fn', memoryMb: 256, timeoutMs: options.timeoutMs ?? 3000, idleLifetimeMs: 600_000, env: { PGHOST: 'db.test', PGUSER: 'app', PGPASSWORD: 'pw', PGDATABASE: 'postgres' } },
    traffic: options.traffic ?? [spike(3)],
    variants: [{ id: 'v', label: 'v', handler: 'handler.mjs', description: 'v' }],
    expectations: [],
    notModelled: ['tests'],
  });
  return { definition, files: { 'handler.mjs': handler } };
}

/** What the handlers printed with console.log, in order. */
const printed = (report: RunReport) =>
  report.logs
    .flatMap((log) => log.lines)
    .filter((line) => line.includes('\tINFO\t'))
    .map((line) => line.split('\t').at(-1)!);

describe('pg shared by the environments of a run', () => {
  it('keeps pg.defaults per environment: a client takes the values its own environment set', async () => {
    const handler = `
      import pg from 'pg';
      pg.defaults.application_name = 'env-' + Math.random().toString(36).slice(2, 8);
      const mine = pg.defaults.application_name;
      export const handler = async () => {
        // The other environments' INIT ran in between: what pg reads now is still this one's.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const client = new pg.Client();
        console.log(client.connectionParameters.application_name === mine && pg.defaults.application_name === mine ? 'own' : 'shared');
      };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler) });
    expect(report.invocations.succeeded).toBe(3);
    expect(printed(report)).toEqual(['own', 'own', 'own']);
  });

  it("refuses a patch to pg's classes with a TypeError rather than applying it to every environment", async () => {
    const handler = `
      import pg from 'pg';
      let outcome;
      try {
        pg.Client.prototype.query = () => 'patched';
        outcome = 'patched';
      } catch (error) {
        outcome = error.constructor.name;
      }
      export const handler = async () => { console.log(outcome); };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler) });
    expect(printed(report)).toEqual(['TypeError', 'TypeError', 'TypeError']);
  });
});

describe('an AWS SDK answer reaches the environment that asked', () => {
  it('never reaches an environment that timed out: code after the await does not run', async () => {
    // The first invocation awaits a DynamoDB call that answers after the 1 s function timeout has
    // ended its environment; on Lambda the process is gone, so the Put after it never happens.
    const handler = `
      import { DynamoDBClient, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
      const dynamodb = new DynamoDBClient({});
      export const handler = async () => {
        if (Date.now() - Date.UTC(2026, 0, 1) < 5000) {
          await new Promise((resolve) => setTimeout(resolve, 999));
          await dynamodb.send(new GetItemCommand({ TableName: 'marks', Key: { pk: { S: 'late' } } }));
          await dynamodb.send(new PutItemCommand({ TableName: 'marks', Item: { pk: { S: 'late' } } }));
          return 'first';
        }
        const { Item } = await dynamodb.send(new GetItemCommand({ TableName: 'marks', Key: { pk: { S: 'late' } } }));
        console.log(Item ? 'written after the timeout' : 'nothing written');
      };`;
    const report = await runSandbox(nodeHost, { sandbox: sandbox(handler, { dynamodb: true, timeoutMs: 1000, traffic: [spike(1), spike(1, 10_000)] }) });
    expect(report.errors.map((error) => error.code)).toEqual(['Sandbox.Timedout']);
    expect(printed(report)).toEqual(['nothing written']);
  });
});
