/**
 * `connlab serve data-api` as readers use it: a separate process on 127.0.0.1, driven by Debian's
 * AWS CLI (`/usr/bin/aws rds-data … --endpoint-url`) with fake credentials.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVED_CLUSTER } from '../../src/engine/dataapi/http-server.node.ts';
import { AWS_CLI, type Served, awsCli, startServe } from '../support/connlab-serve.ts';

let served: Served;

async function rdsData(...args: string[]): Promise<{ code: number; json: Record<string, unknown> | null; stderr: string }> {
  const target = ['--resource-arn', SERVED_CLUSTER.resourceArn, '--secret-arn', SERVED_CLUSTER.secretArn];
  const { code, stdout, stderr } = await awsCli(['rds-data', ...args, ...target], served.endpoint);
  return { code, json: code === 0 && stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : null, stderr };
}

// The bound is generous: the database (PGlite in a worker thread) starts first.
beforeAll(async () => {
  served = await startServe('data-api', 90_000);
}, 120_000);

afterAll(() => {
  if (served.process.exitCode === null) served.process.kill('SIGINT');
});

describe('connlab serve data-api', () => {
  it('has the AWS CLI it is tested with, and prints ready-to-paste commands', () => {
    expect(existsSync(AWS_CLI)).toBe(true);
    expect(served.output).toContain(`aws rds-data execute-statement --resource-arn ${SERVED_CLUSTER.resourceArn}`);
    expect(served.output).toContain(`--endpoint-url ${served.endpoint}`);
  });

  it('answers execute-statement from the AWS CLI: DDL, a parameterised INSERT, a SELECT with metadata', async () => {
    expect((await rdsData('execute-statement', '--sql', 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)')).code).toBe(0);
    const insert = await rdsData('execute-statement', '--sql', 'INSERT INTO notes (body) VALUES (:body)', '--parameters', '[{"name":"body","value":{"stringValue":"hello"}}]');
    expect(insert.json).toEqual({ numberOfRecordsUpdated: 1, generatedFields: [] });
    const select = await rdsData('execute-statement', '--sql', 'SELECT id, body FROM notes', '--include-result-metadata');
    expect(select.json?.records).toEqual([[{ longValue: 1 }, { stringValue: 'hello' }]]);
    expect((select.json?.columnMetadata as Array<{ name: string; typeName: string }>).map((c) => [c.name, c.typeName])).toEqual([
      ['id', 'int4'],
      ['body', 'text'],
    ]);
    const json = await rdsData('execute-statement', '--sql', 'SELECT id, body FROM notes', '--format-records-as', 'JSON');
    expect(JSON.parse(json.json?.formattedRecords as string)).toEqual([{ id: 1, body: 'hello' }]);
  });

  it('runs a transaction from the CLI, and reports SQL errors as BadRequestException', async () => {
    const begin = await rdsData('begin-transaction', '--database', 'postgres');
    const id = begin.json?.transactionId as string;
    expect(id).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect((await rdsData('execute-statement', '--sql', "INSERT INTO notes (body) VALUES ('in tx')", '--transaction-id', id)).code).toBe(0);
    expect((await rdsData('rollback-transaction', '--transaction-id', id)).json).toEqual({ transactionStatus: 'Rollback Complete' });
    const count = await rdsData('execute-statement', '--sql', 'SELECT count(*) FROM notes');
    expect(count.json?.records).toEqual([[{ longValue: 1 }]]);
    const failed = await rdsData('execute-statement', '--sql', 'SELECT * FROM missing');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('An error occurred (BadRequestException) when calling the ExecuteStatement operation: ERROR: relation "missing" does not exist');
  });
});
