/**
 * `connlab serve dynamodb` as readers use it: a separate process on 127.0.0.1, driven by Debian's
 * AWS CLI (`/usr/bin/aws --endpoint-url`) with fake credentials, and by the SDK over real HTTP.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { AWS_CLI, type Served, awsCli, startServe } from '../support/connlab-serve.ts';

let served: Served;
const aws = (...args: string[]) => awsCli(['dynamodb', ...args], served.endpoint);

beforeAll(async () => {
  served = await startServe('dynamodb', 20_000);
});

afterAll(() => {
  if (served.process.exitCode === null) served.process.kill('SIGKILL');
});

describe('connlab serve dynamodb', () => {
  it('has the AWS CLI it is tested with', () => {
    expect(existsSync(AWS_CLI)).toBe(true);
  });

  it('prints the endpoint and ready-to-paste AWS CLI commands', () => {
    expect(served.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.output).toContain(`aws dynamodb create-table`);
    expect(served.output).toContain(`--endpoint-url ${served.endpoint}`);
  });

  it('answers the AWS CLI: create-table, put-item, get-item, query, update-item', async () => {
    const created = await aws(
      'create-table',
      '--table-name', 'sessions',
      '--billing-mode', 'PAY_PER_REQUEST',
      '--key-schema', 'AttributeName=user,KeyType=HASH', 'AttributeName=started,KeyType=RANGE',
      '--attribute-definitions', 'AttributeName=user,AttributeType=S', 'AttributeName=started,AttributeType=N',
    );
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout).TableDescription.TableName).toBe('sessions');

    for (const started of ['1', '2', '3']) {
      const put = await aws('put-item', '--table-name', 'sessions', '--item', JSON.stringify({ user: { S: 'ada' }, started: { N: started } }));
      expect(put.code).toBe(0);
    }
    const got = await aws('get-item', '--table-name', 'sessions', '--key', JSON.stringify({ user: { S: 'ada' }, started: { N: '2' } }), '--consistent-read', '--return-consumed-capacity', 'TOTAL');
    expect(JSON.parse(got.stdout)).toEqual({ Item: { user: { S: 'ada' }, started: { N: '2' } }, ConsumedCapacity: { TableName: 'sessions', CapacityUnits: 1 } });

    const queried = await aws(
      'query', '--table-name', 'sessions',
      '--key-condition-expression', '#u = :u AND started > :s',
      '--expression-attribute-names', JSON.stringify({ '#u': 'user' }),
      '--expression-attribute-values', JSON.stringify({ ':u': { S: 'ada' }, ':s': { N: '1' } }),
      '--no-scan-index-forward',
    );
    expect(JSON.parse(queried.stdout).Items.map((i: { started: { N: string } }) => i.started.N)).toEqual(['3', '2']);

    const updated = await aws(
      'update-item', '--table-name', 'sessions',
      '--key', JSON.stringify({ user: { S: 'ada' }, started: { N: '1' } }),
      '--update-expression', 'ADD hits :one',
      '--expression-attribute-values', JSON.stringify({ ':one': { N: '1' } }),
      '--return-values', 'UPDATED_NEW',
    );
    expect(JSON.parse(updated.stdout)).toEqual({ Attributes: { hits: { N: '1' } } });
  });

  it('reports errors the way the CLI expects: exception name and message', async () => {
    const conditional = await aws('put-item', '--table-name', 'sessions', '--item', JSON.stringify({ user: { S: 'ada' }, started: { N: '1' } }), '--condition-expression', 'attribute_not_exists(#u)', '--expression-attribute-names', JSON.stringify({ '#u': 'user' }));
    expect(conditional.code).not.toBe(0);
    expect(conditional.stderr).toContain('An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed');

    const missing = await aws('describe-table', '--table-name', 'nope');
    expect(missing.stderr).toContain('(ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: nope not found');

    const outside = await aws('scan', '--table-name', 'sessions');
    expect(outside.stderr).toContain('(UnknownOperationException) when calling the Scan operation: Scan is not implemented by connlab');
  });

  it('serves the SDK over HTTP too', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: served.endpoint, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
    const result = await client.send(new QueryCommand({ TableName: 'sessions', KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'user' }, ExpressionAttributeValues: { ':u': { S: 'ada' } }, Select: 'COUNT' }));
    expect(result.Count).toBe(3);
    client.destroy();
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => served.process.once('exit', (code) => resolve(code)));
    served.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(served.output).toContain('Stopped (SIGTERM).');
  });
});

describe('connlab serve stopping on Ctrl-C', () => {
  it('stops on SIGINT with exit code 0', async () => {
    const stopping = await startServe('dynamodb', 20_000);
    const exited = new Promise<number | null>((resolve) => stopping.process.once('exit', (code) => resolve(code)));
    try {
      stopping.process.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stopping.output).toContain('Stopped (SIGINT).');
    } finally {
      if (stopping.process.exitCode === null && stopping.process.signalCode === null) stopping.process.kill('SIGKILL');
    }
  });
});

describe('connlab serve usage', () => {
  const capture = async (argv: string[]) => {
    const err: string[] = [];
    const code = await main(argv, { stdout: () => {}, stderr: (t) => err.push(t) });
    return { code, stderr: err.join('\n') };
  };

  it('rejects an unknown service, naming the ones it has', async () => {
    const { code, stderr } = await capture(['serve', 'sqs', '--port', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown service 'sqs'. Expected one of: dynamodb, data-api.");
  });

  it('exits 1 with the reason when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const { code, stderr } = await capture(['serve', 'dynamodb', '--port', String(port)]);
    blocker.close();
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    expect(stderr).toContain('EADDRINUSE');
  });

  it('requires a valid port', async () => {
    expect((await capture(['serve', 'dynamodb'])).stderr).toContain('missing --port N');
    expect((await capture(['serve', 'dynamodb', '--port', '70000'])).code).toBe(2);
  });
});
