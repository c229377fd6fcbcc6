/**
 * The tables of one emulator: their creation (with CreateTable's checks), their description
 * (DescribeTable), and lookup by name. Items live in each table's partitions, see `items.ts`.
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { type BillingMode, type Clock, TableThroughput } from './capacity.ts';
import { DynamoDBError, invalidParameter, tableNotFound, validation } from './errors.ts';
import type { Input } from './requests.ts';
import { type Item, type ScalarType, itemSize } from './values.ts';

export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

export interface Table {
  name: string;
  arn: string;
  hash: KeyAttribute;
  range: KeyAttribute | undefined;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  billing: BillingMode;
  createdAt: number;
  id: string;
  /** Items per partition-key value, sorted by sort key. */
  partitions: Map<string, Item[]>;
  throughput: TableThroughput;
  statistics: { refreshedAt: number; itemCount: number; sizeBytes: number };
}

export class TableStore {
  private readonly tables = new Map<string, Table>();
  private tableCounter = 0;

  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;

  constructor(clock: Clock, region: string, accountId: string) {
    this.clock = clock;
    this.region = region;
    this.accountId = accountId;
  }

  find(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** The table an item operation names; DynamoDB's answer for a missing one does not name it. */
  get(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw tableNotFound();
    return table;
  }

  create(input: Input<'CreateTable'>): Record<string, unknown> {
    const hashes = input.KeySchema.filter((k) => k.KeyType === 'HASH');
    const ranges = input.KeySchema.filter((k) => k.KeyType === 'RANGE');
    if (hashes.length !== 1 || input.KeySchema[0]?.KeyType !== 'HASH' || ranges.length > 1) {
      throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    }
    const keyNames = input.KeySchema.map((k) => k.AttributeName);
    if (new Set(keyNames).size !== keyNames.length) throw invalidParameter('Both the Hash Key and the Range Key element in the KeySchema have the same name');
    const definitions = input.AttributeDefinitions;
    if (new Set(definitions.map((d) => d.AttributeName)).size !== definitions.length) {
      throw invalidParameter('Cannot have two attributes with the same name');
    }
    const missing = keyNames.find((n) => !definitions.some((d) => d.AttributeName === n));
    if (missing) throw invalidParameter('Some index key attributes are not defined in AttributeDefinitions. Keys: [' + missing + '], AttributeDefinitions: [' + definitions.map((d) => d.AttributeName).join(', ') + ']');
    if (definitions.length !== keyNames.length) {
      throw invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    }
    const mode = input.BillingMode ?? 'PROVISIONED';
    let billing: BillingMode;
    if (mode === 'PAY_PER_REQUEST') {
      if (input.ProvisionedThroughput) throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
      billing = { mode };
    } else {
      if (!input.ProvisionedThroughput) throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
      billing = { mode, readUnits: input.ProvisionedThroughput.ReadCapacityUnits, writeUnits: input.ProvisionedThroughput.WriteCapacityUnits };
    }
    if (this.tables.has(input.TableName)) {
      throw new DynamoDBError('ResourceInUseException', `Table already exists: ${input.TableName}`);
    }
    const typeOfKey = (name: string) => (definitions.find((d) => d.AttributeName === name) as { AttributeType: ScalarType }).AttributeType;
    const hash = hashes[0] as { AttributeName: string };
    const range = ranges[0];
    const table: Table = {
      name: input.TableName,
      arn: `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${input.TableName}`,
      hash: { name: hash.AttributeName, type: typeOfKey(hash.AttributeName) },
      range: range ? { name: range.AttributeName, type: typeOfKey(range.AttributeName) } : undefined,
      keySchema: input.KeySchema,
      attributeDefinitions: definitions,
      billing,
      createdAt: this.clock.now(),
      id: `00000000-0000-4000-8000-${String(++this.tableCounter).padStart(12, '0')}`,
      partitions: new Map(),
      throughput: new TableThroughput(this.clock, billing),
      statistics: { refreshedAt: this.clock.now(), itemCount: 0, sizeBytes: 0 },
    };
    this.tables.set(table.name, table);
    // Creation takes no virtual time here, but the response says CREATING as DynamoDB's does.
    return { TableDescription: { ...this.describe(table), TableStatus: 'CREATING' } };
  }

  describe(table: Table): Record<string, unknown> {
    // DynamoDB refreshes ItemCount and TableSizeBytes periodically, not on every write.
    const now = this.clock.now();
    if (now - table.statistics.refreshedAt >= facts.tableStatisticsRefresh.value) {
      let itemCount = 0;
      let sizeBytes = 0;
      for (const items of table.partitions.values()) {
        itemCount += items.length;
        for (const item of items) sizeBytes += itemSize(item);
      }
      table.statistics = { refreshedAt: now, itemCount, sizeBytes };
    }
    const { itemCount, sizeBytes } = table.statistics;
    const created = table.createdAt / 1000;
    return {
      AttributeDefinitions: table.attributeDefinitions,
      TableName: table.name,
      KeySchema: table.keySchema,
      TableStatus: 'ACTIVE',
      CreationDateTime: created,
      ProvisionedThroughput: {
        NumberOfDecreasesToday: 0,
        ReadCapacityUnits: table.billing.mode === 'PROVISIONED' ? table.billing.readUnits : 0,
        WriteCapacityUnits: table.billing.mode === 'PROVISIONED' ? table.billing.writeUnits : 0,
      },
      TableSizeBytes: sizeBytes,
      ItemCount: itemCount,
      TableArn: table.arn,
      TableId: table.id,
      ...(table.billing.mode === 'PAY_PER_REQUEST'
        ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: created } }
        : {}),
      DeletionProtectionEnabled: false,
    };
  }
}
