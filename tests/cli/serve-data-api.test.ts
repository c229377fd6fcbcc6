/**
 * `connlab serve data-api` as readers use it: a separate process on 127.0.0.1, driven by Debian's
 * AWS CLI (`/usr/bin/aws rds-data … --endpoint-url`) with fake credentials.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVED_CLUSTER } from '../../src/engine/dataapi/http-server.node.ts';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const root = join(import.meta.dirname, '..', '..');
const fakeCredentials = {
  AWS_ACCESS_KEY_ID: 'AKIDCONNLABTEST',
  AWS_SECRET_ACCESS_KEY: 'connlab-test-secret',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

let server: ChildProcess;
let endpoint: string;
let output = '';

async function rdsData(...args: string[]): Promise<{ code: number; json: Record<string, unknown> | null; stderr: string }> {
  const target = ['--resource-arn', SERVED_CLUSTER.resourceArn, '--secret-arn', SERVED_CLUSTER.secretArn];
  try {
    const { stdout, stderr } = await run(AWS, ['rds-data', ...args, ...target, '--endpoint-url', endpoint, '--output', 'json'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...fakeCredentials },
      timeout: 30_000,
    });
    return { code: 0, json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : null, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, json: null, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  server = spawn(process.execPath, [join(root, 'bin', 'connlab.mjs'), 'serve', 'data-api', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  while (!/Listening on (http:\/\/127\.0\.0\.1:\d+)/.test(output)) {
    // A bound against a hang, not a timing: the database (PGlite in a worker thread) starts first.
    if (Date.now() - started > 90_000 || server.exitCode !== null) throw new Error(`connlab serve did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  endpoint = (/Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output) as RegExpExecArray)[1] as string;
}, 120_000);

afterAll(() => {
  if (server.exitCode === null) server.kill('SIGINT');
});

describe('connlab serve data-api', () => {
  it('has the AWS CLI it is tested with, and prints ready-to-paste commands', () => {
    expect(existsSync(AWS)).toBe(true);
    expect(output).toContain(`aws rds-data execute-statement --resource-arn ${SERVED_CLUSTER.resourceArn}`);
    expect(output).toContain(`--endpoint-url ${endpoint}`);
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
