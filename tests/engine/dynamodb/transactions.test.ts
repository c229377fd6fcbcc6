/**
 * TransactWriteItems, which dynalite does not implement, against the behaviour the TransactWriteItems
 * API reference describes: all or nothing, cancellation reasons in request order, per-item failure
 * images, limits, and idempotent retries with ClientRequestToken.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  IdempotentParameterMismatchException,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBEmulator, dynamoDBRequestHandler } from '../../../src/engine/dynamodb/index.ts';

let now = 0;
let emulator: DynamoDBEmulator;
let client: DynamoDBClient;

const account = (id: string) => ({ id: { S: id } });
const balance = async (id: string) => (await client.send(new GetItemCommand({ TableName: 'accounts', Key: account(id) }))).Item?.['balance'];

/** Moves `amount` from one account to another, refusing to overdraw. */
const transfer = (from: string, to: string, amount: string): TransactWriteItem[] => [
  {
    Update: {
      TableName: 'accounts',
      Key: account(from),
      UpdateExpression: 'SET balance = balance - :a',
      ConditionExpression: 'balance >= :a',
      ExpressionAttributeValues: { ':a': { N: amount } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  },
  { Update: { TableName: 'accounts', Key: account(to), UpdateExpression: 'ADD balance :a', ExpressionAttributeValues: { ':a': { N: amount } } } },
];

beforeEach(() => {
  now = 0;
  emulator = new DynamoDBEmulator({ clock: { now: () => now } });
  client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, requestHandler: dynamoDBRequestHandler(emulator), maxAttempts: 1 });
  emulator.execute('CreateTable', {
    TableName: 'accounts',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  });
  for (const [id, amount] of [['alice', '100'], ['bob', '0']] as const) {
    emulator.execute('PutItem', { TableName: 'accounts', Item: { ...account(id), balance: { N: amount } } });
  }
});

describe('TransactWriteItems', () => {
  it('moves money between two items atomically', async () => {
    await client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', '30') }));
    expect(await balance('alice')).toEqual({ N: '70' });
    expect(await balance('bob')).toEqual({ N: '30' });
  });

  it('cancels on a failed condition, reports the old image, and changes nothing', async () => {
    const error = await client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', '130') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'alice' }, balance: { N: '100' } } },
      { Code: 'None' },
    ]);
    expect(await balance('alice')).toEqual({ N: '100' });
    expect(await balance('bob')).toEqual({ N: '0' });
  });

  it('reports an update that cannot apply as a ValidationError reason', async () => {
    emulator.execute('PutItem', { TableName: 'accounts', Item: { ...account('carol'), balance: { S: 'not a number' } } });
    const error = (await client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'carol', '5') })).catch((e: unknown) => e)) as TransactionCanceledException;
    expect(error.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    expect(error.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]');
    expect(await balance('alice')).toEqual({ N: '100' });
  });

  it('rejects a missing table and more than 100 actions before doing anything', async () => {
    const missing = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'nope', Item: account('x') } }] }))
      .catch((e: unknown) => e as Error);
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException' });
    const tooMany = await client
      .send(new TransactWriteItemsCommand({ TransactItems: Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: 'accounts', Item: account(`a${i}`) } })) }))
      .catch((e: unknown) => e as Error);
    expect(tooMany).toMatchObject({ name: 'ValidationException' });
    expect(await client.send(new GetItemCommand({ TableName: 'accounts', Key: account('a0') }))).not.toHaveProperty('Item');
  });

  it('applies a retried request with the same ClientRequestToken once', async () => {
    const command = new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', '10'), ClientRequestToken: 'transfer-1' });
    await client.send(command);
    await client.send(command);
    expect(await balance('alice')).toEqual({ N: '90' });
    // The same token with different parameters is refused inside the window...
    const mismatch = await client
      .send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', '20'), ClientRequestToken: 'transfer-1' }))
      .catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(IdempotentParameterMismatchException);
    // ...and after ten minutes the token is a new request.
    now += 10 * 60 * 1000;
    await client.send(command);
    expect(await balance('alice')).toEqual({ N: '80' });
  });

  it('lets the SDK generate a fresh token per call, so two identical sends apply twice', async () => {
    await client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', '10') }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', '10') }));
    expect(await balance('bob')).toEqual({ N: '20' });
  });
});
