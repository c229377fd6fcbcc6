/**
 * The AWS SDK clients and `pg` a handler gets are real libraries with deep object graphs (command
 * prototypes, protocol objects, schemas, shared lists). A stranger's handler (a share link) runs first
 * and changes what it can reach deep inside them; then the reader's honest handler runs in the same
 * process (the same Worker) and must compute what it computes on a fresh engine, seeing nothing of it.
 * Each attack wraps or renames rather than breaks, so on an engine that shares these objects the
 * second run quietly computes something else (and this test fails) instead of crashing.
 */
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { runSandbox } from '../../../src/run/run.ts';
import type { RunReport } from '../../../src/run/report.ts';
import { sandboxSchema, type SandboxSource } from '../../../src/sandboxes/schema.ts';

const CLUSTER = 'arn:aws:rds:us-east-1:123456789012:cluster:lab';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:lab-app-AbCdEf';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs';

function sandbox(handler: string): SandboxSource {
  const definition = sandboxSchema.parse({
    id: 'isolation-sdk',
    title: 'isolation',
    summary: 'isolation',
    pattern: 'test',
    seed: 11,
    durationMs: 2000,
    parameters: [],
    database: { host: 'db.test', port: 5432, instanceClass: 'db.r6g.large', users: { app: 'pw' }, setupSql: 'SELECT 1' },
    dataApi: { resourceArn: CLUSTER, secrets: { [SECRET]: 'app' } },
    dynamodb: { tables: [{ TableName: 'items', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }] },
    sqs: { queueName: 'jobs', consumer: { name: 'worker', handler: 'consumer.mjs', memoryMb: 256, timeoutMs: 3000, reservedConcurrency: null, env: {} }, eventSourceMapping: {} },
    lambda: { name: 'fn', memoryMb: 256, timeoutMs: 3000, idleLifetimeMs: 600_000, env: { PGHOST: 'db.test', PGUSER: 'app', PGPASSWORD: 'pw', PGDATABASE: 'postgres' } },
    traffic: [{ kind: 'spike', startMs: 0, durationMs: 1, concurrency: 1, rampMs: 0, thinkMs: 0, retryDelayMs: 0 }],
    variants: [{ id: 'v', label: 'v', handler: 'handler.mjs', description: 'v' }],
    expectations: [],
    notModelled: ['tests'],
  });
  return { definition, files: { 'handler.mjs': handler, 'consumer.mjs': 'export const handler = async () => ({ batchItemFailures: [] });' } };
}

const run = (handler: string) => runSandbox(nodeHost, { sandbox: sandbox(handler) });
/** What the handlers printed with console.log, one entry per line. */
const printed = (report: RunReport) =>
  report.logs
    .flatMap((log) => log.lines)
    .filter((line) => line.includes('\tINFO\t'))
    .map((line) => line.split('\t').at(-1)!);

/** Every SDK client the sandboxes use, through the paths a handler takes (a result, an error, an enum). */
const honest = `
  import { DynamoDBClient, PutItemCommand, ConditionalCheckFailedException, ReturnValue } from '@aws-sdk/client-dynamodb';
  import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
  import { RDSDataClient, ExecuteStatementCommand } from '@aws-sdk/client-rds-data';
  import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
  import pg from 'pg';
  const dynamodb = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const pool = new pg.Pool({ max: 1 });
  /** Each step on its own: a forged one shows as its own difference. */
  const step = async (work) => { try { return await work(); } catch (error) { return error.name + ': ' + error.message; } };
  export const handler = async () => {
    const item = await step(async () => {
      await documents.send(new PutCommand({ TableName: 'items', Item: { pk: 'a', n: 1 } }));
      return (await documents.send(new GetCommand({ TableName: 'items', Key: { pk: 'a' } }))).Item;
    });
    const conditional = await step(async () => {
      try {
        await dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
        return 'written';
      } catch (error) {
        return error.name + ' ' + (error instanceof ConditionalCheckFailedException);
      }
    });
    const records = await step(async () => (await new RDSDataClient({}).send(new ExecuteStatementCommand({ resourceArn: '${CLUSTER}', secretArn: '${SECRET}', sql: 'SELECT 1 AS one' }))).records);
    const messageId = await step(async () => /^[0-9a-f-]{36}$/.test((await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: '${QUEUE}', MessageBody: 'job' }))).MessageId));
    const rows = await step(async () => (await pool.query('SELECT 2::int AS two, 3::int8 AS three')).rows);
    console.log(JSON.stringify({ item, conditional, records, messageId, returnValue: ReturnValue.ALL_NEW, rows, defaults: [pg.defaults.port, pg.defaults.parseInt8 ?? null] }));
    return 1;
  };`;

/** What `honest` prints on a fresh engine. */
const expected = {
  item: { pk: 'a', n: 1 },
  conditional: 'ConditionalCheckFailedException true',
  records: [[{ longValue: 1 }]],
  messageId: true,
  returnValue: 'ALL_NEW',
  rows: [{ two: 2, three: '3' }],
  defaults: [5432, null],
};

/**
 * Attacks on what the handler reaches through the libraries, each reported as changed or as the
 * error that stopped it. The deep objects are reached from a client, as any handler can.
 */
const hostile = `
  import * as dynamodbModule from '@aws-sdk/client-dynamodb';
  import { DynamoDBClient, ReturnValue, GetItemOutput$ } from '@aws-sdk/client-dynamodb';
  import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
  import { RDSDataClient, ExecuteStatementResponse$ } from '@aws-sdk/client-rds-data';
  import { SQSClient } from '@aws-sdk/client-sqs';
  import pg from 'pg';
  const tried = {};
  const attempt = (name, change) => { try { change(); tried[name] = 'changed'; } catch (error) { tried[name] = error.constructor.name; } };
  const dynamodb = new DynamoDBClient({});
  const protocol = dynamodb.config.protocol;
  // A prototype method deep in the client: every DynamoDB response is forged.
  attempt('protocol prototype method', () => {
    const prototype = Object.getPrototypeOf(protocol);
    const original = prototype.deserializeResponse;
    prototype.deserializeResponse = async function (...args) {
      const output = await original.apply(this, args);
      if (output && output.Item) output.Item = { pk: { S: 'forged' } };
      return output;
    };
  });
  // Nested objects: an exported enum, and the member names of response schemas.
  attempt('enum object', () => { ReturnValue.ALL_NEW = 'NONE'; });
  attempt('GetItem output schema', () => { GetItemOutput$[4][GetItemOutput$[4].indexOf('Item')] = 'Forged'; });
  attempt('ExecuteStatement output schema', () => { ExecuteStatementResponse$[4][ExecuteStatementResponse$[4].indexOf('records')] = 'forged'; });
  // A static property: the error registry every protocol looks errors up in.
  attempt('error registry static', () => {
    const Registry = protocol.compositeErrorRegistry.constructor;
    Registry.for = () => new Registry('forged');
    for (const registry of Registry.registries.values()) registry.exceptions.clear();
  });
  // Shared lists: the auth schemes every client is configured with, and the error registries.
  attempt('auth schemes list', () => {
    const schemes = new SQSClient({}).config.httpAuthSchemes;
    schemes.unshift({ schemeId: 'aws.auth#sigv4', identityProvider: schemes[0].identityProvider, signer: { sign: async () => { throw new Error('forged signer'); } } });
  });
  attempt('auth scheme signer', () => { new RDSDataClient({}).config.httpAuthSchemes.at(-1).signer.sign = async () => { throw new Error('forged signer'); }; });
  attempt('error registries list', () => { protocol.options.errorTypeRegistries.length = 0; });
  attempt('document client middleware', () => {
    const documents = DynamoDBDocumentClient.from(dynamodb);
    Object.getPrototypeOf(documents.middlewareStack).add = () => {};
  });
  attempt('module namespace', () => { dynamodbModule.ReturnValue.ALL_OLD = 'NONE'; });
  // pg: its defaults, type parsers and Pool prototype.
  attempt('pg defaults', () => { pg.defaults.port = 1; pg.defaults.parseInt8 = true; });
  attempt('pg type parser', () => { pg.types.setTypeParser(23, () => 'forged'); });
  attempt('pg Pool prototype', () => { pg.Pool.prototype.query = async () => ({ rows: [{ forged: true }] }); });
  export const handler = async () => { console.log(JSON.stringify(tried)); return 1; };`;

describe('handler isolation: the AWS SDK and pg a later run gets', () => {
  it('are not changed by an earlier run that mutated their deep objects', async () => {
    const fresh = printed(await run(honest));
    expect(fresh.map((line) => JSON.parse(line) as unknown)).toEqual([expected]);
    const attacks = JSON.parse(printed(await run(hostile))[0]!) as Record<string, string>;
    expect(Object.keys(attacks)).toHaveLength(13);
    const after = printed(await run(honest));
    expect(after.map((line) => JSON.parse(line) as unknown)).toEqual([expected]);
  }, 240_000);
});
