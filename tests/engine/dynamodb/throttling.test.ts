/**
 * Throughput limits on a virtual clock: per-partition bounds, a new on-demand table's ceiling, the
 * 30-minute doubling rule, provisioned capacity, and how batches and transactions report throttling.
 * dynalite models none of this, so these tests check the rules from the fact sheet (section F).
 */
import { DynamoDBClient, PutItemCommand, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBEmulator, DynamoDBError, dynamoDBRequestHandler } from '../../../src/engine/dynamodb/index.ts';
import { dynamodb as facts } from '../../../src/facts/dynamodb.ts';

let now: number;
let emulator: DynamoDBEmulator;

const createTable = (TableName: string, extra: Record<string, unknown> = { BillingMode: 'PAY_PER_REQUEST' }) =>
  emulator.execute('CreateTable', {
    TableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ...extra,
  });

/** Writes small (one-unit) items; returns how many were accepted before the first throttle. */
/** How many of `count` requests made by `request(i)` pass before the first throttle. */
function untilThrottled(count: number, request: (i: number) => void): number {
  for (let i = 0; i < count; i++) {
    try {
      request(i);
    } catch (error) {
      if (error instanceof DynamoDBError && error.type === 'ProvisionedThroughputExceededException') return i;
      throw error;
    }
  }
  return count;
}

const writeUntilThrottled = (table: string, count: number, key: (i: number) => string): number =>
  untilThrottled(count, (i) => emulator.execute('PutItem', { TableName: table, Item: { pk: { S: key(i) } } }));

/** Strongly consistent reads, one unit each (the items are small). */
const readUntilThrottled = (table: string, count: number, key: (i: number) => string): number =>
  untilThrottled(count, (i) => emulator.execute('GetItem', { TableName: table, Key: { pk: { S: key(i) } }, ConsistentRead: true }));

beforeEach(() => {
  now = 0;
  emulator = new DynamoDBEmulator({ clock: { now: () => now } });
  createTable('hot');
});

describe('per-partition limits', () => {
  it('throttles one partition key past 1,000 write units in a second, and recovers the next second', () => {
    expect(writeUntilThrottled('hot', 1500, () => 'same')).toBe(facts.partitionWriteUnitsPerSecond.value);
    now += 1000;
    expect(writeUntilThrottled('hot', 1, () => 'same')).toBe(1);
  });

  it('counts item size: 2 KB writes hit the bound after 500', () => {
    let accepted = 0;
    for (; accepted < 1000; accepted++) {
      try {
        emulator.execute('PutItem', { TableName: 'hot', Item: { pk: { S: 'same' }, blob: { S: 'x'.repeat(2000) } } });
      } catch {
        break;
      }
    }
    expect(accepted).toBe(500);
  });

  it('throttles strongly consistent reads of one key past 3,000 read units', () => {
    emulator.execute('PutItem', { TableName: 'hot', Item: { pk: { S: 'same' } } });
    now += 1000;
    expect(readUntilThrottled('hot', 4000, () => 'same')).toBe(facts.partitionReadUnitsPerSecond.value);
  });

  it('reads and writes share a partition: 500 writes leave room for 1,500 strongly consistent reads', () => {
    expect(writeUntilThrottled('hot', 500, () => 'same')).toBe(500);
    expect(readUntilThrottled('hot', 3000, () => 'same')).toBe(1500);
  });

  it('spreading the key lifts the per-partition bound up to the table ceiling', () => {
    // 100 keys: no partition reaches 1,000 units, so the table's 4,000 writes/s is what stops it.
    expect(writeUntilThrottled('hot', 5000, (i) => `k${i % 100}`)).toBe(facts.newTableWritesPerSecond.value);
  });

  it('raises the SDK exception class through the requestHandler', async () => {
    writeUntilThrottled('hot', 1000, () => 'same');
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      requestHandler: dynamoDBRequestHandler(emulator),
      maxAttempts: 1,
    });
    const error = await client.send(new PutItemCommand({ TableName: 'hot', Item: { pk: { S: 'same' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([
      { reason: 'TableWriteKeyRangeThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/hot' },
    ]);
    expect(emulator.throughput('hot').throttledRequests).toBe(1);
  });
});

describe('on-demand scaling', () => {
  it('a new table takes 12,000 read units per second', () => {
    expect(readUntilThrottled('hot', 13_000, (i) => `k${i % 10}`)).toBe(facts.newTableReadsPerSecond.value);
  });

  it('doubles the previous peak only once that peak is 30 minutes old', () => {
    const spread = (i: number) => `k${i % 500}`;
    expect(writeUntilThrottled('hot', 3500, spread)).toBe(3500);
    // Ten minutes later the 3,500 peak does not count yet: the new-table ceiling still applies.
    now += 10 * 60 * 1000;
    expect(writeUntilThrottled('hot', 6000, spread)).toBe(4000);
    expect(emulator.throughput('hot').ceilings.write).toBe(4000);
    // Thirty minutes after the 4,000 peak, the table takes double it.
    now += 30 * 60 * 1000 + 1000;
    expect(emulator.throughput('hot').ceilings.write).toBe(8000);
    expect(writeUntilThrottled('hot', 9000, spread)).toBe(8000);
  });

  it('never goes past the default table quota', () => {
    const spread = (i: number) => `k${i % 1000}`;
    for (let step = 0; step < 5; step++) {
      writeUntilThrottled('hot', 50_000, spread);
      now += 31 * 60 * 1000;
    }
    expect(emulator.throughput('hot').ceilings.write).toBe(facts.tableQuotaWriteUnits.value);
    const overQuota = (() => {
      try {
        writeUntilThrottled('hot', 50_000, spread);
        for (;;) emulator.execute('PutItem', { TableName: 'hot', Item: { pk: { S: 'k1' } } });
      } catch (e) {
        return e as DynamoDBError;
      }
    })();
    expect(overQuota.extra['ThrottlingReasons']).toEqual([{ reason: 'TableWriteAccountLimitExceeded', resource: expect.any(String) }]);
  });
});

describe('provisioned tables and multi-item operations', () => {
  it('a provisioned table takes its provisioned units per second', () => {
    createTable('small', { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    expect(writeUntilThrottled('small', 10, (i) => `k${i}`)).toBe(5);
    const error = (() => {
      try {
        emulator.execute('PutItem', { TableName: 'small', Item: { pk: { S: 'again' } } });
      } catch (e) {
        return e as DynamoDBError;
      }
      return undefined;
    })();
    expect(error?.message).toContain('The level of configured provisioned throughput for the table was exceeded');
    expect(error?.extra['ThrottlingReasons']).toEqual([{ reason: 'TableWriteProvisionedThroughputExceeded', resource: expect.stringContaining(':table/small') }]);
  });

  it('BatchWriteItem returns throttled writes as UnprocessedItems, and throws only when nothing was written', () => {
    writeUntilThrottled('hot', 1000, () => 'same');
    const put = (pk: string) => ({ PutRequest: { Item: { pk: { S: pk } } } });
    const mixed = emulator.execute('BatchWriteItem', { RequestItems: { hot: [put('same'), put('cold')] } });
    expect(mixed['UnprocessedItems']).toEqual({ hot: [put('same')] });
    expect(emulator.execute('GetItem', { TableName: 'hot', Key: { pk: { S: 'cold' } } })['Item']).toEqual({ pk: { S: 'cold' } });
    const onlyHot = () => emulator.execute('BatchWriteItem', { RequestItems: { hot: [put('same')] } });
    expect(onlyHot).toThrow(expect.objectContaining({ type: 'ProvisionedThroughputExceededException' }));
  });

  it('a throttled transaction is cancelled with ThrottlingError and writes nothing', () => {
    writeUntilThrottled('hot', 1000, () => 'same');
    const attempt = () =>
      emulator.execute('TransactWriteItems', {
        TransactItems: [{ Put: { TableName: 'hot', Item: { pk: { S: 'cold' } } } }, { Put: { TableName: 'hot', Item: { pk: { S: 'same' } } } }],
      });
    expect(attempt).toThrow(expect.objectContaining({ type: 'TransactionCanceledException' }));
    try {
      attempt();
    } catch (error) {
      expect((error as DynamoDBError).extra['CancellationReasons']).toEqual([
        { Code: 'ThrottlingError', Message: expect.stringContaining('Throughput exceeds') },
        { Code: 'ThrottlingError', Message: expect.stringContaining('Throughput exceeds') },
      ]);
    }
    now += 1000;
    expect(emulator.execute('GetItem', { TableName: 'hot', Key: { pk: { S: 'cold' } } })['Item']).toBeUndefined();
  });
});

describe('the hot key and its fix, through lib-dynamodb', () => {
  /** 1,500 counter increments a second for two seconds; returns how many were throttled. */
  async function incrementCounter(key: (i: number) => string): Promise<{ throttled: number; other: number }> {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, requestHandler: dynamoDBRequestHandler(emulator), maxAttempts: 1 }),
    );
    let throttled = 0;
    let other = 0;
    for (let second = 0; second < 2; second++) {
      now = 10_000 + second * 1000;
      const calls = Array.from({ length: 1500 }, (_, i) =>
        documents
          .send(new UpdateCommand({ TableName: 'hot', Key: { pk: key(i) }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': 1 } }))
          .catch((error: unknown) => {
            if (error instanceof ProvisionedThroughputExceededException) throttled++;
            else other++;
          }),
      );
      await Promise.all(calls);
    }
    return { throttled, other };
  }

  it('one counter key throttles a third of 1,500 writes a second; ten shards of it throttle none', async () => {
    const hot = await incrementCounter(() => 'page-views');
    expect(hot).toEqual({ throttled: 2 * 500, other: 0 });
    const spread = await incrementCounter((i) => `page-views#${i % 10}`);
    expect(spread).toEqual({ throttled: 0, other: 0 });
  });
});
