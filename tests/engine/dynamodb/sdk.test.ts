/**
 * The emulator through the real AWS SDK v3 clients, in process, with the custom requestHandler a
 * Web Worker uses: no socket is opened. What the handler code of a sandbox sees is what these
 * tests see: the SDK's own exception classes and unmarshalled values.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBEmulator, dynamoDBRequestHandler } from '../../../src/engine/dynamodb/index.ts';
import { tableInput } from '../../support/dynamodb-tables.ts';

let emulator: DynamoDBEmulator;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let requests: number;

beforeEach(async () => {
  emulator = new DynamoDBEmulator({ clock: { now: () => 1_700_000_000_000 } });
  const handler = dynamoDBRequestHandler(emulator);
  requests = 0;
  const counting = { ...handler, handle: (request: Parameters<typeof handler.handle>[0]) => (requests++, handler.handle(request)) };
  client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox' },
    requestHandler: counting,
    maxAttempts: 1,
  });
  documents = DynamoDBDocumentClient.from(client);
  await client.send(
    new CreateTableCommand(
      tableInput('orders', [
        ['customer', 'S'],
        ['orderedAt', 'N'],
      ]),
    ),
  );
});

describe('@aws-sdk/client-dynamodb through the requestHandler', () => {
  it('creates, describes, writes and reads, and every call went through the emulator', async () => {
    const description = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(description.Table?.TableStatus).toBe('ACTIVE');
    expect(description.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(description.Table?.CreationDateTime).toEqual(new Date(1_700_000_000_000));

    const put = await client.send(
      new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'c1' }, orderedAt: { N: '1' }, total: { N: '12.50' } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(put.ConsumedCapacity).toEqual({ TableName: 'orders', CapacityUnits: 1 });
    const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: { customer: { S: 'c1' }, orderedAt: { N: '1' } }, ConsistentRead: true }));
    expect(got.Item?.['total']).toEqual({ N: '12.5' });
    expect(requests).toBe(4);
  });

  it('raises the SDK exception classes', async () => {
    const key = { customer: { S: 'c1' }, orderedAt: { N: '1' } };
    await client.send(new PutItemCommand({ TableName: 'orders', Item: key }));
    const conditional = await client
      .send(new PutItemCommand({ TableName: 'orders', Item: key, ConditionExpression: 'attribute_not_exists(customer)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      .catch((e: unknown) => e);
    expect(conditional).toBeInstanceOf(ConditionalCheckFailedException);
    expect((conditional as ConditionalCheckFailedException).message).toBe('The conditional request failed');
    expect((conditional as ConditionalCheckFailedException).Item).toEqual(key);
    expect((conditional as ConditionalCheckFailedException).$metadata.httpStatusCode).toBe(400);

    const missing = await client.send(new GetItemCommand({ TableName: 'nope', Key: key })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('rejects an item over 400 KB and accepts one at exactly 400 KB', async () => {
    const base = 'customer'.length + 'c1'.length + 'orderedAt'.length + 2 + 'blob'.length; // N "1" is 2 bytes
    const item = (extra: number) => ({ customer: { S: 'c1' }, orderedAt: { N: '1' }, blob: { S: 'x'.repeat(400 * 1024 - base + extra) } });
    await expect(client.send(new PutItemCommand({ TableName: 'orders', Item: item(0) }))).resolves.toBeDefined();
    const error = await client.send(new PutItemCommand({ TableName: 'orders', Item: item(1) })).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' });
  });

  it('counts strings in UTF-8 bytes toward the item size', async () => {
    // "é" is one UTF-16 unit but two UTF-8 bytes: 512 of them plus the key make a 1,049-byte item.
    const put = await client.send(
      new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'c1' }, orderedAt: { N: '1' }, s: { S: 'é'.repeat(512) } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(put.ConsumedCapacity?.CapacityUnits).toBe(2);
  });

  it('names the subset when asked for an operation outside it', async () => {
    const error = (await client.send(new ScanCommand({ TableName: 'orders' })).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toContain('Scan is not implemented');
    for (const op of ['CreateTable', 'Query', 'TransactWriteItems', 'BatchWriteItem']) expect(error.message).toContain(op);
  });

  it('runs TransactWriteItems all or nothing, with cancellation reasons in order', async () => {
    const first = { customer: { S: 'c1' }, orderedAt: { N: '1' } };
    const second = { customer: { S: 'c2' }, orderedAt: { N: '1' } };
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { ...first, stock: { N: '1' } } }));

    const result = await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: 'orders', Key: first, UpdateExpression: 'SET stock = stock - :one', ConditionExpression: 'stock >= :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { Put: { TableName: 'orders', Item: { ...second, state: { S: 'reserved' } }, ConditionExpression: 'attribute_not_exists(customer)' } },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    // Transactional writes cost double: two 1 KB items, 2 units each.
    expect(result.ConsumedCapacity).toEqual([{ TableName: 'orders', CapacityUnits: 4, WriteCapacityUnits: 4 }]);

    const cancelled = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: 'orders', Key: first, UpdateExpression: 'SET stock = stock - :one', ConditionExpression: 'stock >= :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
            { Delete: { TableName: 'orders', Key: second } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    const reasons = (cancelled as TransactionCanceledException).CancellationReasons;
    expect(reasons?.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None']);
    expect((cancelled as Error).message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]');
    // Nothing of the cancelled transaction was applied: the second item is still there.
    const still = await client.send(new GetItemCommand({ TableName: 'orders', Key: second }));
    expect(still.Item?.['state']).toEqual({ S: 'reserved' });
    const stock = await client.send(new GetItemCommand({ TableName: 'orders', Key: first }));
    expect(stock.Item?.['stock']).toEqual({ N: '0' });
  });

  it('rejects two actions on one item in a transaction', async () => {
    const key = { customer: { S: 'c1' }, orderedAt: { N: '1' } };
    const error = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'orders', Item: key } }, { Delete: { TableName: 'orders', Key: key } }] }))
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' });
  });
});

describe('@aws-sdk/lib-dynamodb through the requestHandler', () => {
  it('marshals JavaScript values both ways', async () => {
    await documents.send(new PutCommand({ TableName: 'orders', Item: { customer: 'c1', orderedAt: 3, lines: [{ sku: 'a', qty: 2 }], gift: false, note: null } }));
    const { Item } = await documents.send(new GetCommand({ TableName: 'orders', Key: { customer: 'c1', orderedAt: 3 } }));
    expect(Item).toEqual({ customer: 'c1', orderedAt: 3, lines: [{ sku: 'a', qty: 2 }], gift: false, note: null });
  });

  it('pages a Query with Limit and ExclusiveStartKey, newest first', async () => {
    await documents.send(
      new BatchWriteCommand({ RequestItems: { orders: Array.from({ length: 7 }, (_, i) => ({ PutRequest: { Item: { customer: 'c1', orderedAt: i, total: i * 10 } } })) } }),
    );
    const seen: number[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: 'customer = :c AND orderedAt >= :from',
          ExpressionAttributeValues: { ':c': 'c1', ':from': 2 },
          ScanIndexForward: false,
          Limit: 2,
          ExclusiveStartKey: start,
        }),
      );
      seen.push(...(page.Items ?? []).map((i) => i['orderedAt'] as number));
      start = page.LastEvaluatedKey;
      pages++;
    } while (start && pages < 10);
    expect(seen).toEqual([6, 5, 4, 3, 2]);
    // Five items in pages of two: the third page ends the partition, so DynamoDB returns no key.
    expect(pages).toBe(3);
  });

  it('updates with SET, REMOVE and ADD and returns the new image', async () => {
    await documents.send(new PutCommand({ TableName: 'orders', Item: { customer: 'c1', orderedAt: 1, visits: 1, draft: 'x' } }));
    const { Attributes } = await documents.send(
      new UpdateCommand({
        TableName: 'orders',
        Key: { customer: 'c1', orderedAt: 1 },
        UpdateExpression: 'SET #s = :s, visits = visits + :one REMOVE draft ADD tags :t',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'paid', ':one': 1, ':t': new Set(['vip']) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(Attributes).toEqual({ customer: 'c1', orderedAt: 1, visits: 2, status: 'paid', tags: new Set(['vip']) });
  });

  it('runs a document TransactWrite', async () => {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'orders', Item: { customer: 'c9', orderedAt: 1 }, ConditionExpression: 'attribute_not_exists(customer)' } },
          { ConditionCheck: { TableName: 'orders', Key: { customer: 'c9', orderedAt: 2 }, ConditionExpression: 'attribute_not_exists(customer)' } },
        ],
      }),
    );
    const { Item } = await documents.send(new GetCommand({ TableName: 'orders', Key: { customer: 'c9', orderedAt: 1 } }));
    expect(Item).toEqual({ customer: 'c9', orderedAt: 1 });
  });
});

describe('the requestHandler latency hook', () => {
  it('waits for the latency model before answering, per operation', async () => {
    const seen: string[] = [];
    const slow = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: dynamoDBRequestHandler(emulator, {
        latency: async (operation) => {
          seen.push(operation);
          await new Promise((resolve) => setTimeout(resolve, 30));
        },
      }),
    });
    const started = performance.now();
    await slow.send(new GetItemCommand({ TableName: 'orders', Key: { customer: { S: 'x' }, orderedAt: { N: '1' } } }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(seen).toEqual(['GetItem']);
  });
});
