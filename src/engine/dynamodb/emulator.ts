/**
 * An in-memory DynamoDB that answers the JSON 1.0 protocol for a documented subset of operations,
 * with DynamoDB's item-size limit, capacity accounting and throttling.
 *
 * It imports nothing from Node, so the same instance serves a Web Worker (through the SDK's
 * `requestHandler`, see `request-handler.ts`) and `connlab serve dynamodb` (see `http-server.node.ts`).
 * Time comes only from the injected clock, and identifiers from counters, so a run is reproducible.
 */
import * as z from 'zod/mini';
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { type BillingMode, type Charge, type Clock, type Refusal, TableThroughput, type ThroughputTotals, readUnits, realClock, writeUnits } from './capacity.ts';
import { DynamoDBError, conditionalCheckFailed, invalidParameter, tableNotFound, throttled, validation } from './errors.ts';
import {
  type Condition,
  type UpdatePlan,
  ExpressionScope,
  applyUpdate,
  evaluate,
  matchesSortKey,
  parseCondition,
  bindKeyCondition,
  parseKeyCondition,
  parseProjection,
  parseUpdate,
  projectPaths,
} from './expressions.ts';
import { type AttributeValue, type Item, type ScalarType, checkItem, compareScalars, emptyMap, itemSize, pageSize, typeOf } from './values.ts';

/** The operations this emulator implements; anything else is answered with an error naming them. */
export const SUPPORTED_OPERATIONS = [
  'CreateTable',
  'DescribeTable',
  'PutItem',
  'GetItem',
  'DeleteItem',
  'UpdateItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
] as const;

export type Operation = (typeof SUPPORTED_OPERATIONS)[number];

export interface DynamoDBEmulatorOptions {
  clock?: Clock;
  region?: string;
  accountId?: string;
}

export interface TableThroughputReport extends ThroughputTotals {
  ceilings: { read: number; write: number };
}

interface KeyAttribute {
  name: string;
  type: ScalarType;
}

interface Table {
  name: string;
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

const unsupported = (what: string) =>
  validation(`${what} is outside the subset modelled by connlab's DynamoDB emulator (${SUPPORTED_OPERATIONS.join(', ')}; expressions only, no secondary indexes, streams or legacy parameters).`);

// ---------------------------------------------------------------------------------------------
// Request shapes. Attribute values are checked by `values.ts`; zod checks the envelope.

/** DynamoDB's own wording for a table name of the wrong length. */
const TABLE_NAME_LENGTH = 'TableName must be at least 3 characters long and at most 255 characters long';
const NOT_NULL = { error: 'Member must not be null' };
const tableName = z.string(NOT_NULL).check(
  z.minLength(3, TABLE_NAME_LENGTH),
  z.maxLength(255, TABLE_NAME_LENGTH),
  z.regex(/^[a-zA-Z0-9_.-]+$/, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+'),
);
/** An enum whose failure reads like DynamoDB's ("Member must satisfy enum value set: [B, N, S]"). */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `Member must satisfy enum value set: [${[...values].sort().join(', ')}]` });
const atLeastOne = z.minLength(1, 'Member must have length greater than or equal to 1');
const attributeMap = z.record(z.string(), z.unknown(), NOT_NULL);
const optionalString = z.optional(z.string());
const optionalBoolean = z.optional(z.boolean());
const names = z.optional(z.record(z.string(), z.string()));
const values = z.optional(z.record(z.string(), z.unknown()));
const consumed = z.optional(oneOf(['INDEXES', 'TOTAL', 'NONE']));
const returnValues = z.optional(oneOf(['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']));
const expressionParts = {
  ConditionExpression: optionalString,
  ExpressionAttributeNames: names,
  ExpressionAttributeValues: values,
  ReturnValuesOnConditionCheckFailure: z.optional(oneOf(['ALL_OLD', 'NONE'])),
};
const capacityUnits = z.int().check(z.gte(1, 'Member must have value greater than or equal to 1'));

// zod/mini keeps the Worker bundle small; the schemas document the accepted envelope.
const schemas = {
  CreateTable: z.looseObject({
    TableName: tableName,
    KeySchema: z
      .array(z.object({ AttributeName: z.string().check(z.minLength(1)), KeyType: oneOf(['HASH', 'RANGE']) }), NOT_NULL)
      .check(atLeastOne, z.maxLength(2, 'Member must have length less than or equal to 2')),
    AttributeDefinitions: z.array(z.object({ AttributeName: z.string().check(z.minLength(1)), AttributeType: oneOf(['S', 'N', 'B']) }), NOT_NULL),
    BillingMode: z.optional(oneOf(['PROVISIONED', 'PAY_PER_REQUEST'])),
    ProvisionedThroughput: z.optional(z.object({ ReadCapacityUnits: capacityUnits, WriteCapacityUnits: capacityUnits })),
  }),
  DescribeTable: z.looseObject({ TableName: tableName }),
  PutItem: z.looseObject({ TableName: tableName, Item: attributeMap, ReturnValues: returnValues, ReturnConsumedCapacity: consumed, ...expressionParts }),
  GetItem: z.looseObject({
    TableName: tableName,
    Key: attributeMap,
    ConsistentRead: optionalBoolean,
    ReturnConsumedCapacity: consumed,
    ProjectionExpression: optionalString,
    ExpressionAttributeNames: names,
  }),
  DeleteItem: z.looseObject({ TableName: tableName, Key: attributeMap, ReturnValues: returnValues, ReturnConsumedCapacity: consumed, ...expressionParts }),
  UpdateItem: z.looseObject({
    TableName: tableName,
    Key: attributeMap,
    UpdateExpression: optionalString,
    ReturnValues: returnValues,
    ReturnConsumedCapacity: consumed,
    ...expressionParts,
  }),
  Query: z.looseObject({
    TableName: tableName,
    KeyConditionExpression: optionalString,
    FilterExpression: optionalString,
    ProjectionExpression: optionalString,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: optionalBoolean,
    Limit: z.optional(z.int().check(z.gte(1, 'Member must have value greater than or equal to 1'))),
    ExclusiveStartKey: z.optional(attributeMap),
    ConsistentRead: optionalBoolean,
    Select: z.optional(oneOf(['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'])),
    ReturnConsumedCapacity: consumed,
  }),
  BatchGetItem: z.looseObject({
    RequestItems: z.record(
      tableName,
      z.looseObject({ Keys: z.array(attributeMap).check(atLeastOne), ConsistentRead: optionalBoolean, ProjectionExpression: optionalString, ExpressionAttributeNames: names }),
      NOT_NULL,
    ),
    ReturnConsumedCapacity: consumed,
  }),
  BatchWriteItem: z.looseObject({
    RequestItems: z.record(
      tableName,
      z.array(z.object({ PutRequest: z.optional(z.object({ Item: attributeMap })), DeleteRequest: z.optional(z.object({ Key: attributeMap })) })).check(atLeastOne),
      NOT_NULL,
    ),
    ReturnConsumedCapacity: consumed,
  }),
  TransactWriteItems: z.looseObject({
    TransactItems: z
      .array(
        z.object({
          ConditionCheck: z.optional(z.looseObject({ TableName: tableName, Key: attributeMap, ...expressionParts, ConditionExpression: z.string() })),
          Put: z.optional(z.looseObject({ TableName: tableName, Item: attributeMap, ...expressionParts })),
          Delete: z.optional(z.looseObject({ TableName: tableName, Key: attributeMap, ...expressionParts })),
          Update: z.optional(z.looseObject({ TableName: tableName, Key: attributeMap, UpdateExpression: z.string(), ...expressionParts })),
        }),
        NOT_NULL,
      )
      .check(atLeastOne, z.maxLength(facts.transactMaxItems.value, `Member must have length less than or equal to ${facts.transactMaxItems.value}`)),
    ClientRequestToken: optionalString,
    ReturnConsumedCapacity: consumed,
  }),
} satisfies Record<Operation, z.ZodMiniType>;

/**
 * zod copies objects by assignment, which would turn a member named `__proto__` (an attribute, a
 * placeholder, a table) into the copy's prototype. It crosses zod under a stand-in name instead and
 * comes back as an own member.
 */
const PROTO = '__proto__';
const STAND_IN = '__connlab-proto-stand-in__';

function renameMembers(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameMembers(v, from, to));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    Object.defineProperty(copy, key === from ? to : key, { value: renameMembers(member, from, to), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const hasProtoMember = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (Object.hasOwn(value, PROTO) || Object.values(value).some(hasProtoMember));

function parseInput<O extends Operation>(operation: O, input: unknown): z.infer<(typeof schemas)[O]> {
  const renamed = hasProtoMember(input);
  const result = schemas[operation].safeParse(renamed ? renameMembers(input, PROTO, STAND_IN) : (input ?? {}));
  if (result.success) return (renamed ? renameMembers(result.data, STAND_IN, PROTO) : result.data) as z.infer<(typeof schemas)[O]>;
  const issues = result.error.issues.map((issue) => ({ ...issue, path: issue.path.map((p) => (p === STAND_IN ? PROTO : p)) }));
  const verbatim = issues.find((i) => i.message === TABLE_NAME_LENGTH);
  if (verbatim) throw validation(verbatim.message);
  // DynamoDB names members in lower camel case and counts list members from 1.
  const where = (path: PropertyKey[]) =>
    path.map((p) => (typeof p === 'number' ? `${p + 1}.member` : String(p).charAt(0).toLowerCase() + String(p).slice(1))).join('.');
  const valueAt = (path: PropertyKey[]) => {
    let value: unknown = input;
    for (const p of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p];
    return value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
  };
  const details = issues.map((i) => `Value '${valueAt(i.path)}' at '${where(i.path)}' failed to satisfy constraint: ${i.message}`);
  throw validation(`${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${details.join('; ')}`);
}

type ExpressionInput = {
  ConditionExpression?: string | undefined;
  ExpressionAttributeNames?: Record<string, string> | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
};

/** Rejects the legacy (pre-expression) parameters and features outside the subset. */
function rejectOutsideSubset(input: Record<string, unknown>): void {
  for (const legacy of ['Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ConditionalOperator', 'AttributesToGet', 'ScanFilter']) {
    if (input[legacy] !== undefined) throw unsupported(`The legacy parameter ${legacy}`);
  }
  for (const feature of ['IndexName', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'StreamSpecification', 'ReturnItemCollectionMetrics']) {
    if (input[feature] !== undefined) throw unsupported(feature);
  }
}

// ---------------------------------------------------------------------------------------------

export class DynamoDBEmulator {
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private readonly tables = new Map<string, Table>();
  private tableCounter = 0;
  private requestCounter = 0;

  constructor(options: DynamoDBEmulatorOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  /**
   * Answers one request in the AWS JSON 1.0 protocol: `target` is the `X-Amz-Target` header
   * (`DynamoDB_20120810.PutItem`), `body` the JSON text.
   */
  respond(target: string | undefined, body: string): { statusCode: number; headers: Record<string, string>; body: string } {
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': `CONNLAB${String(++this.requestCounter).padStart(45, '0')}`,
    };
    try {
      const [service, operation] = (target ?? '').split('.');
      if (service !== 'DynamoDB_20120810' || !operation) {
        throw new DynamoDBError('UnknownOperationException', `Unknown operation ${target ?? '(no X-Amz-Target header)'}. connlab's DynamoDB emulator implements: ${SUPPORTED_OPERATIONS.join(', ')}.`);
      }
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new DynamoDBError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const output = this.execute(operation, input);
      return { statusCode: 200, headers, body: JSON.stringify(output) };
    } catch (error) {
      const failure = error instanceof DynamoDBError ? error : new DynamoDBError('InternalServerError', error instanceof Error ? error.message : String(error));
      return { statusCode: failure.statusCode, headers, body: JSON.stringify(failure.toBody()) };
    }
  }

  /** Runs one operation on already-parsed input; throws `DynamoDBError` as DynamoDB would answer. */
  execute(operation: string, input: unknown): Record<string, unknown> {
    if (!(SUPPORTED_OPERATIONS as readonly string[]).includes(operation)) {
      throw new DynamoDBError(
        'UnknownOperationException',
        `${operation} is not implemented by connlab's DynamoDB emulator, which models a subset of DynamoDB: ${SUPPORTED_OPERATIONS.join(', ')}.`,
      );
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new DynamoDBError('SerializationException', 'Expected a JSON object');
    rejectOutsideSubset(input as Record<string, unknown>);
    switch (operation as Operation) {
      case 'CreateTable':
        return this.createTable(parseInput('CreateTable', input));
      case 'DescribeTable': {
        const { TableName } = parseInput('DescribeTable', input);
        const table = this.tables.get(TableName);
        if (!table) throw tableNotFound(TableName);
        return { Table: this.describe(table) };
      }
      case 'PutItem':
        return this.putItem(parseInput('PutItem', input));
      case 'GetItem':
        return this.getItem(parseInput('GetItem', input));
      case 'DeleteItem':
        return this.deleteItem(parseInput('DeleteItem', input));
      case 'UpdateItem':
        return this.updateItem(parseInput('UpdateItem', input));
      case 'Query':
        return this.query(parseInput('Query', input));
      case 'BatchGetItem':
        return this.batchGetItem(parseInput('BatchGetItem', input));
      case 'BatchWriteItem':
        return this.batchWriteItem(parseInput('BatchWriteItem', input));
      case 'TransactWriteItems':
        return this.transactWriteItems(parseInput('TransactWriteItems', input));
    }
  }

  /** Consumption, throttles and current ceilings of a table, for metrics and sandboxes. */
  throughput(name: string): TableThroughputReport {
    const table = this.table(name);
    return { ...table.throughput.totals, ceilings: table.throughput.ceilings() };
  }

  // -------------------------------------------------------------------------------------------
  // Tables

  private table(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw tableNotFound();
    return table;
  }

  private createTable(input: z.infer<typeof schemas.CreateTable>): Record<string, unknown> {
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

  private arn(table: Table): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${table.name}`;
  }

  private describe(table: Table): Record<string, unknown> {
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
      TableArn: this.arn(table),
      TableId: table.id,
      ...(table.billing.mode === 'PAY_PER_REQUEST'
        ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: created } }
        : {}),
      DeletionProtectionEnabled: false,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Keys and storage

  private partitionOf(table: Table, value: AttributeValue): string {
    return `${table.name}/${typeOf(value)}:${Object.values(value)[0] as string}`;
  }

  /** The key attributes of a full item (PutItem), validated against the schema. */
  private keyOfItem(table: Table, item: Item): Item {
    const key = emptyMap<AttributeValue>();
    for (const attribute of [table.hash, table.range]) {
      if (!attribute) continue;
      const value = item[attribute.name];
      if (value === undefined) throw invalidParameter(`Missing the key ${attribute.name} in the item`);
      if (typeOf(value) !== attribute.type) throw invalidParameter(`Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${typeOf(value)}`);
      this.rejectEmptyKey(attribute.name, value);
      key[attribute.name] = value;
    }
    return key;
  }

  /** A `Key` parameter (already checked as attribute values): exactly the key attributes, of the schema's types. */
  private matchKey(table: Table, key: Item, context = 'The provided key element does not match the schema'): Item {
    const names = [table.hash.name, ...(table.range ? [table.range.name] : [])];
    const matches = Object.keys(key).length === names.length && names.every((n) => {
      const value = key[n];
      return value !== undefined && typeOf(value) === (n === table.hash.name ? table.hash.type : table.range?.type);
    });
    if (!matches) throw validation(context);
    for (const name of names) this.rejectEmptyKey(name, key[name] as AttributeValue);
    return key;
  }

  private rejectEmptyKey(name: string, value: AttributeValue): void {
    if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
      throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${name}`);
    }
  }

  private locate(table: Table, key: Item): { items: Item[]; index: number; found: boolean; partition: string } {
    const partition = this.partitionOf(table, key[table.hash.name] as AttributeValue);
    const items = table.partitions.get(partition) ?? [];
    if (!table.range) return { items, index: 0, found: items.length > 0, partition };
    const target = key[table.range.name] as AttributeValue;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const order = compareScalars((items[middle] as Item)[table.range.name] as AttributeValue, target) ?? 0;
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    const found = low < items.length && compareScalars((items[low] as Item)[table.range.name] as AttributeValue, target) === 0;
    return { items, index: low, found, partition };
  }

  private read(table: Table, key: Item): Item | undefined {
    const { items, index, found } = this.locate(table, key);
    return found ? items[index] : undefined;
  }

  private write(table: Table, key: Item, item: Item | undefined): void {
    const { items, index, found, partition } = this.locate(table, key);
    if (!table.partitions.has(partition)) table.partitions.set(partition, items);
    if (item === undefined) {
      if (found) items.splice(index, 1);
      if (items.length === 0) table.partitions.delete(partition);
    } else if (found) items[index] = item;
    else items.splice(index, 0, item);
  }

  private checkSize(item: Item, message: string): void {
    if (itemSize(item) > facts.maxItemSize.value) throw validation(message);
  }

  private admitOrThrottle(table: Table, charges: Charge[]): void {
    const refusal = table.throughput.admit(charges);
    if (refusal) {
      table.throughput.recordThrottle();
      throw throttled(table.billing.mode, [refusal], this.arn(table));
    }
  }

  private capacity(table: Table, units: number, mode: string | undefined): Record<string, unknown> {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
    return {
      ConsumedCapacity: { TableName: table.name, CapacityUnits: units, ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units } } : {}) },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /**
   * Parses a request's condition, and through `more` its other expressions, in one scope so unused
   * or undefined placeholders are caught across all of them.
   */
  private condition(input: ExpressionInput, more?: (scope: ExpressionScope) => void): Condition | undefined {
    const scope = new ExpressionScope(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
    const condition = input.ConditionExpression === undefined ? undefined : parseCondition(input.ConditionExpression, scope);
    more?.(scope);
    if (input.ConditionExpression === undefined && !more) {
      if (input.ExpressionAttributeNames) throw validation('ExpressionAttributeNames can only be specified when using expressions');
      if (input.ExpressionAttributeValues) throw validation('ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null');
    }
    scope.assertAllUsed();
    return condition;
  }

  /** A read's ProjectionExpression as a function from a stored item to the returned copy. */
  private projection(input: { ProjectionExpression?: string | undefined; ExpressionAttributeNames?: Record<string, string> | undefined }): (item: Item) => Item {
    if (input.ProjectionExpression === undefined) {
      if (input.ExpressionAttributeNames) throw validation('ExpressionAttributeNames can only be specified when using expressions');
      return (item) => structuredClone(item);
    }
    const scope = new ExpressionScope(input.ExpressionAttributeNames, undefined);
    const paths = parseProjection(input.ProjectionExpression, scope);
    scope.assertAllUsed();
    return (item) => projectPaths(item, paths);
  }

  private checkCondition(condition: Condition | undefined, existing: Item | undefined, returnOld: string | undefined): void {
    if (condition && !evaluate(condition, existing ?? {})) {
      throw conditionalCheckFailed(returnOld === 'ALL_OLD' && existing ? structuredClone(existing) : undefined);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Single-item operations

  private putItem(input: z.infer<typeof schemas.PutItem>): Record<string, unknown> {
    // DynamoDB validates the request on its own before it looks the table up.
    const item = checkItem(input.Item, 'Item');
    if (input.ReturnValues && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
      throw validation('ReturnValues can only be ALL_OLD or NONE');
    }
    this.checkSize(item, 'Item size has exceeded the maximum allowed size');
    const condition = this.condition(input);
    const table = this.table(input.TableName);
    const key = this.keyOfItem(table, item);
    const existing = this.read(table, key);
    const units = Math.max(writeUnits(itemSize(item)), existing ? writeUnits(itemSize(existing)) : 0);
    this.admitOrThrottle(table, [{ partition: this.partitionOf(table, key[table.hash.name] as AttributeValue), read: 0, write: units }]);
    this.checkCondition(condition, existing, input.ReturnValuesOnConditionCheckFailure);
    this.write(table, key, item);
    return {
      ...(input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {}),
      ...this.capacity(table, units, input.ReturnConsumedCapacity),
    };
  }

  private getItem(input: z.infer<typeof schemas.GetItem>): Record<string, unknown> {
    const rawKey = checkItem(input.Key, 'Key');
    const project = this.projection(input);
    const table = this.table(input.TableName);
    const key = this.matchKey(table, rawKey);
    const item = this.read(table, key);
    // A projection trims the answer, not the cost: the whole item is read.
    const units = readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true);
    this.admitOrThrottle(table, [{ partition: this.partitionOf(table, key[table.hash.name] as AttributeValue), read: units, write: 0 }]);
    return { ...(item ? { Item: project(item) } : {}), ...this.capacity(table, units, input.ReturnConsumedCapacity) };
  }

  private deleteItem(input: z.infer<typeof schemas.DeleteItem>): Record<string, unknown> {
    const rawKey = checkItem(input.Key, 'Key');
    if (input.ReturnValues && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
      throw validation('ReturnValues can only be ALL_OLD or NONE');
    }
    const condition = this.condition(input);
    const table = this.table(input.TableName);
    const key = this.matchKey(table, rawKey);
    const existing = this.read(table, key);
    const units = writeUnits(existing ? itemSize(existing) : 0);
    this.admitOrThrottle(table, [{ partition: this.partitionOf(table, key[table.hash.name] as AttributeValue), read: 0, write: units }]);
    this.checkCondition(condition, existing, input.ReturnValuesOnConditionCheckFailure);
    this.write(table, key, undefined);
    return {
      ...(input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {}),
      ...this.capacity(table, units, input.ReturnConsumedCapacity),
    };
  }

  private parseUpdateRequest(input: ExpressionInput & { UpdateExpression?: string | undefined }): { condition: Condition | undefined; plan: UpdatePlan } {
    let plan: UpdatePlan = { set: [], remove: [], add: [], delete: [] };
    const update = input.UpdateExpression;
    const condition = this.condition(
      input,
      update === undefined
        ? undefined
        : (scope) => {
            plan = parseUpdate(update, scope);
          },
    );
    return { condition, plan };
  }

  private rejectKeyUpdates(table: Table, plan: UpdatePlan): void {
    const keyNames = [table.hash.name, table.range?.name];
    const paths = [...plan.set.map((s) => s.path), ...plan.remove, ...plan.add.map((a) => a.path), ...plan.delete.map((d) => d.path)];
    const keyPath = paths.find((p) => keyNames.includes(p[0] as string));
    if (keyPath) throw invalidParameter(`Cannot update attribute ${keyPath[0] as string}. This attribute is part of the key`);
  }

  private updateItem(input: z.infer<typeof schemas.UpdateItem>): Record<string, unknown> {
    const rawKey = checkItem(input.Key, 'Key');
    const { condition, plan } = this.parseUpdateRequest(input);
    const table = this.table(input.TableName);
    const key = this.matchKey(table, rawKey);
    this.rejectKeyUpdates(table, plan);
    const existing = this.read(table, key);
    const { item: updated, touched } = applyUpdate(existing ?? key, plan);
    this.checkSize(updated, 'Item size to update has exceeded the maximum allowed size');
    const units = Math.max(writeUnits(itemSize(updated)), existing ? writeUnits(itemSize(existing)) : 0);
    this.admitOrThrottle(table, [{ partition: this.partitionOf(table, key[table.hash.name] as AttributeValue), read: 0, write: units }]);
    this.checkCondition(condition, existing, input.ReturnValuesOnConditionCheckFailure);
    this.write(table, key, updated);
    const attributes: Record<string, Item | undefined> = {
      ALL_OLD: existing,
      ALL_NEW: updated,
      UPDATED_OLD: existing ? projectPaths(existing, touched) : undefined,
      UPDATED_NEW: projectPaths(updated, touched),
    };
    const returned = input.ReturnValues && input.ReturnValues !== 'NONE' ? attributes[input.ReturnValues] : undefined;
    return {
      ...(returned && Object.keys(returned).length ? { Attributes: structuredClone(returned) } : {}),
      ...this.capacity(table, units, input.ReturnConsumedCapacity),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Query

  private query(input: z.infer<typeof schemas.Query>): Record<string, unknown> {
    if (input.KeyConditionExpression === undefined) {
      throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    if (input.Select === 'ALL_PROJECTED_ATTRIBUTES') throw unsupported(`Select ${input.Select}`);
    if (input.Select === 'SPECIFIC_ATTRIBUTES' && input.ProjectionExpression === undefined) {
      throw validation('Select SPECIFIC_ATTRIBUTES requires a ProjectionExpression');
    }
    const scope = new ExpressionScope(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
    const keyParts = parseKeyCondition(input.KeyConditionExpression, scope);
    const filter = input.FilterExpression === undefined ? undefined : parseCondition(input.FilterExpression, scope, 'FilterExpression');
    const paths = input.ProjectionExpression === undefined ? undefined : parseProjection(input.ProjectionExpression, scope);
    scope.assertAllUsed();
    const startKey = input.ExclusiveStartKey ? checkItem(input.ExclusiveStartKey, 'ExclusiveStartKey') : undefined;
    const table = this.table(input.TableName);
    const keyCondition = bindKeyCondition(keyParts, { hash: table.hash.name, range: table.range?.name });
    if (typeOf(keyCondition.partitionValue) !== table.hash.type) throw invalidParameter('Condition parameter type does not match schema type');
    if (keyCondition.sort && table.range) {
      const sort = keyCondition.sort;
      const values = sort.op === 'between' ? [sort.low, sort.high] : [sort.value];
      if (values.some((v) => typeOf(v) !== table.range?.type)) throw invalidParameter('Condition parameter type does not match schema type');
      if (sort.op === 'begins_with' && table.range.type === 'N') {
        throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
      }
    }
    if (filter && keyConditionNamesIn(filter, [table.hash.name, table.range?.name])) {
      throw validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${keyConditionNamesIn(filter, [table.hash.name, table.range?.name])}`);
    }
    this.rejectEmptyKey(table.hash.name, keyCondition.partitionValue);
    const partition = this.partitionOf(table, keyCondition.partitionValue);
    let candidates = (table.partitions.get(partition) ?? []).filter(
      (item) => !keyCondition.sort || !table.range || matchesSortKey(item[table.range.name] as AttributeValue, keyCondition.sort),
    );
    const forward = input.ScanIndexForward !== false;
    if (!forward) candidates = [...candidates].reverse();
    if (startKey) {
      const start = this.matchKey(table, startKey, 'The provided starting key is invalid: The provided key element does not match the schema');
      if (typeOf(start[table.hash.name] as AttributeValue) !== table.hash.type || this.partitionOf(table, start[table.hash.name] as AttributeValue) !== partition) {
        throw validation('The provided starting key is invalid: The provided key element does not match the schema');
      }
      if (table.range) {
        const range = table.range.name;
        const startValue = start[range] as AttributeValue;
        candidates = candidates.filter((item) => {
          const order = compareScalars(item[range] as AttributeValue, startValue) ?? 0;
          return forward ? order > 0 : order < 0;
        });
      } else candidates = [];
    }
    const items: Item[] = [];
    let scanned = 0;
    let bytes = 0;
    let page = 0;
    let last: Item | undefined;
    for (const item of candidates) {
      if (input.Limit !== undefined && scanned >= input.Limit) break;
      if (page >= facts.queryPageBytes.value) break;
      scanned++;
      bytes += itemSize(item);
      page += pageSize(item, table.range?.name);
      last = item;
      if (!filter || evaluate(filter, item)) items.push(item);
    }
    const stoppedEarly = (input.Limit !== undefined && scanned >= input.Limit) || page >= facts.queryPageBytes.value;
    const units = readUnits(bytes, input.ConsistentRead === true, false);
    this.admitOrThrottle(table, [{ partition, read: units, write: 0 }]);
    const lastKey = stoppedEarly && last ? this.keyOfItem(table, last) : undefined;
    return {
      ...(input.Select === 'COUNT' ? {} : { Items: items.map((item) => (paths ? projectPaths(item, paths) : structuredClone(item))) }),
      Count: items.length,
      ScannedCount: scanned,
      ...(lastKey ? { LastEvaluatedKey: lastKey } : {}),
      ...this.capacity(table, units, input.ReturnConsumedCapacity),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Batches

  private batchGetItem(input: z.infer<typeof schemas.BatchGetItem>): Record<string, unknown> {
    const requests = Object.entries(input.RequestItems);
    if (requests.length === 0) throw validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const total = requests.reduce((sum, [, r]) => sum + r.Keys.length, 0);
    if (total > facts.batchGetMaxKeys.value) throw validation('Too many items requested for the BatchGetItem call');
    for (const [, request] of requests) rejectOutsideSubset(request);
    const checked = requests.map(([name, request]) => {
      const keys = request.Keys.map((k) => checkItem(k, 'Key'));
      assertNoDuplicates(keys);
      return { name, request, keys, project: this.projection(request) };
    });
    const plans = checked.map(({ name, request, keys, project }) => {
      const table = this.table(name);
      const matched = keys.map((k) => this.matchKey(table, k));
      return { table, keys: matched, consistent: request.ConsistentRead === true, project, request };
    });
    const responses = emptyMap<Item[]>();
    const refusals: Refusal[] = [];
    const unprocessed = emptyMap<Record<string, unknown> & { Keys: Item[] }>();
    const consumed: { TableName: string; CapacityUnits: number }[] = [];
    let served = 0;
    for (const { table, keys, consistent, project, request } of plans) {
      responses[table.name] = [];
      let units = 0;
      for (const key of keys) {
        const item = this.read(table, key);
        const cost = readUnits(item ? itemSize(item) : 0, consistent);
        const refusal = table.throughput.admit([{ partition: this.partitionOf(table, key[table.hash.name] as AttributeValue), read: cost, write: 0 }]);
        if (refusal) {
          refusals.push(refusal);
          // Unprocessed keys come back with the request's other parameters, ready to resend.
          const { Keys: _all, ...rest } = request;
          const entry = (unprocessed[table.name] ??= { ...rest, Keys: [] });
          entry.Keys.push(key);
          continue;
        }
        served++;
        units += cost;
        if (item) responses[table.name]?.push(project(item));
      }
      consumed.push({ TableName: table.name, CapacityUnits: units });
    }
    if (served === 0) {
      for (const { table } of plans) table.throughput.recordThrottle();
      const first = plans[0]?.table;
      throw throttled(first?.billing.mode ?? 'PAY_PER_REQUEST', refusals, first ? this.arn(first) : '');
    }
    return {
      Responses: responses,
      UnprocessedKeys: unprocessed,
      ...(input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES'
        ? { ConsumedCapacity: consumed.map((c) => (input.ReturnConsumedCapacity === 'INDEXES' ? { ...c, Table: { CapacityUnits: c.CapacityUnits } } : c)) }
        : {}),
    };
  }

  private batchWriteItem(input: z.infer<typeof schemas.BatchWriteItem>): Record<string, unknown> {
    const requests = Object.entries(input.RequestItems);
    if (requests.length === 0) throw validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const total = requests.reduce((sum, [, r]) => sum + r.length, 0);
    if (total > facts.batchWriteMaxRequests.value) throw validation('Too many items requested for the BatchWriteItem call');
    type Write = { raw: { PutRequest?: { Item: Record<string, unknown> } | undefined; DeleteRequest?: { Key: Record<string, unknown> } | undefined }; key: Item; item: Item | undefined };
    const checked = requests.map(([name, writes]) => ({
      name,
      writes: writes.map((raw) => {
        if ((raw.PutRequest === undefined) === (raw.DeleteRequest === undefined)) {
          throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
        }
        if (raw.PutRequest) {
          const item = checkItem(raw.PutRequest.Item, 'Item');
          this.checkSize(item, 'Item size has exceeded the maximum allowed size');
          return { raw, item, key: undefined };
        }
        return { raw, item: undefined, key: checkItem((raw.DeleteRequest as { Key: Record<string, unknown> }).Key, 'Key') };
      }),
    }));
    const plans = checked.map(({ name, writes }) => {
      const table = this.table(name);
      const planned: Write[] = writes.map(({ raw, item, key }) => {
        if (!item) return { raw, key: this.matchKey(table, key as Item), item };
        try {
          return { raw, key: this.keyOfItem(table, item), item };
        } catch {
          // BatchWriteItem words a missing or mistyped key like a bad Key parameter.
          throw validation('The provided key element does not match the schema');
        }
      });
      assertNoDuplicateKeys(table, planned.map((p) => p.key));
      return { table, planned };
    });
    const unprocessed = emptyMap<Write['raw'][]>();
    const refusals: Refusal[] = [];
    const consumed: { TableName: string; CapacityUnits: number }[] = [];
    let served = 0;
    for (const { table, planned } of plans) {
      let units = 0;
      for (const { raw, key, item } of planned) {
        const existing = this.read(table, key);
        const cost = Math.max(item ? writeUnits(itemSize(item)) : 0, writeUnits(existing ? itemSize(existing) : 0));
        const refusal = table.throughput.admit([{ partition: this.partitionOf(table, key[table.hash.name] as AttributeValue), read: 0, write: cost }]);
        if (refusal) {
          refusals.push(refusal);
          (unprocessed[table.name] ??= []).push(raw);
          continue;
        }
        served++;
        units += cost;
        this.write(table, key, item);
      }
      consumed.push({ TableName: table.name, CapacityUnits: units });
    }
    if (served === 0) {
      for (const { table } of plans) table.throughput.recordThrottle();
      const first = plans[0]?.table;
      throw throttled(first?.billing.mode ?? 'PAY_PER_REQUEST', refusals, first ? this.arn(first) : '');
    }
    return {
      UnprocessedItems: unprocessed,
      ...(input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES'
        ? { ConsumedCapacity: consumed.map((c) => (input.ReturnConsumedCapacity === 'INDEXES' ? { ...c, Table: { CapacityUnits: c.CapacityUnits } } : c)) }
        : {}),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Transactions: every condition is checked before anything is written; all or nothing.

  /** Completed transactions by ClientRequestToken, so a retried call is not applied twice. */
  private readonly transactionTokens = new Map<string, { fingerprint: string; completedAt: number; output: Record<string, unknown> }>();

  private transactWriteItems(input: z.infer<typeof schemas.TransactWriteItems>): Record<string, unknown> {
    const { ClientRequestToken: token, ...request } = input;
    if (token === undefined) return this.runTransaction(input);
    const fingerprint = JSON.stringify(request);
    const now = this.clock.now();
    const previous = this.transactionTokens.get(token);
    if (previous && now - previous.completedAt < facts.transactionTokenWindow.value) {
      if (previous.fingerprint !== fingerprint) {
        throw new DynamoDBError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.');
      }
      // Same token, same request: the effect happened once; answer as before without applying it again.
      return previous.output;
    }
    const output = this.runTransaction(input);
    // Tokens are kept in completion order, so expired ones are at the front.
    for (const [old, entry] of this.transactionTokens) {
      if (now - entry.completedAt < facts.transactionTokenWindow.value) break;
      this.transactionTokens.delete(old);
    }
    this.transactionTokens.delete(token);
    this.transactionTokens.set(token, { fingerprint, completedAt: now, output });
    return output;
  }

  private runTransaction(input: z.infer<typeof schemas.TransactWriteItems>): Record<string, unknown> {
    type Action = {
      table: Table;
      key: Item;
      condition: Condition | undefined;
      returnOld: string | undefined;
      next: (existing: Item | undefined) => Item | undefined | 'unchanged';
    };
    type Checked = {
      kind: string;
      tableName: string;
      item: Item | undefined;
      key: Item | undefined;
      condition: Condition | undefined;
      plan: UpdatePlan | undefined;
      returnOld: string | undefined;
    };
    // First what needs no table (values, sizes, expressions), as DynamoDB does, then the tables.
    const checked: Checked[] = input.TransactItems.map((entry) => {
      const kinds = Object.entries(entry).filter(([, v]) => v !== undefined);
      if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
      const [kind, raw] = kinds[0] as [string, Record<string, unknown> & ExpressionInput & { TableName: string; UpdateExpression?: string; ReturnValuesOnConditionCheckFailure?: string }];
      rejectOutsideSubset(raw);
      const base = { kind, tableName: raw.TableName, returnOld: raw.ReturnValuesOnConditionCheckFailure };
      if (kind === 'Put') {
        const item = checkItem(raw['Item'], 'Item');
        this.checkSize(item, 'Item size has exceeded the maximum allowed size');
        return { ...base, item, key: undefined, condition: this.condition(raw), plan: undefined };
      }
      const key = checkItem(raw['Key'], 'Key');
      if (kind === 'Update') return { ...base, item: undefined, key, ...this.parseUpdateRequest(raw) };
      return { ...base, item: undefined, key, condition: this.condition(raw), plan: undefined };
    });
    const actions: Action[] = checked.map(({ kind, tableName, item, key: rawKey, condition, plan, returnOld }) => {
      const table = this.table(tableName);
      if (item) return { table, key: this.keyOfItem(table, item), condition, returnOld, next: () => item };
      const key = this.matchKey(table, rawKey as Item);
      if (kind === 'Delete') return { table, key, condition, returnOld, next: () => undefined };
      if (kind === 'ConditionCheck' || !plan) return { table, key, condition, returnOld, next: () => 'unchanged' };
      this.rejectKeyUpdates(table, plan);
      return {
        table,
        key,
        condition,
        returnOld,
        next: (existing) => {
          const { item: updated } = applyUpdate(existing ?? key, plan);
          this.checkSize(updated, 'Item size to update has exceeded the maximum allowed size');
          return updated;
        },
      };
    });
    const targets = actions.map((a) => `${this.partitionOf(a.table, a.key[a.table.hash.name] as AttributeValue)}|${a.table.range ? JSON.stringify(a.key[a.table.range.name]) : ''}`);
    if (new Set(targets).size !== targets.length) throw validation('Transaction request cannot include multiple operations on one item');

    const reasons: Record<string, unknown>[] = [];
    const outcomes: { action: Action; existing: Item | undefined; next: Item | undefined | 'unchanged' }[] = [];
    for (const action of actions) {
      const existing = this.read(action.table, action.key);
      if (action.condition && !evaluate(action.condition, existing ?? {})) {
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(action.returnOld === 'ALL_OLD' && existing ? { Item: structuredClone(existing) } : {}),
        });
        outcomes.push({ action, existing, next: 'unchanged' });
        continue;
      }
      try {
        outcomes.push({ action, existing, next: action.next(existing) });
        reasons.push({ Code: 'None' });
      } catch (error) {
        if (!(error instanceof DynamoDBError) || error.type !== 'ValidationException') throw error;
        reasons.push({ Code: 'ValidationError', Message: error.message });
        outcomes.push({ action, existing, next: 'unchanged' });
      }
    }
    const cancel = () => {
      throw new DynamoDBError(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r['Code']).join(', ')}]`,
        { CancellationReasons: reasons },
      );
    };
    if (reasons.some((r) => r['Code'] !== 'None')) cancel();

    const costs = outcomes.map(({ action, existing, next }) => {
      const after = next === 'unchanged' ? existing : next;
      const bytes = Math.max(after ? itemSize(after) : 0, existing ? itemSize(existing) : 0);
      return { table: action.table, charge: { partition: this.partitionOf(action.table, action.key[action.table.hash.name] as AttributeValue), read: 0, write: writeUnits(bytes, true) } };
    });
    const byTable = new Map<Table, Charge[]>();
    for (const { table, charge } of costs) byTable.set(table, [...(byTable.get(table) ?? []), charge]);
    for (const [table, charges] of byTable) {
      if (table.throughput.admit(charges)) {
        table.throughput.recordThrottle();
        reasons.splice(0, reasons.length, ...costs.map((c) => (c.table === table ? { Code: 'ThrottlingError', Message: throttled(table.billing.mode).message } : { Code: 'None' })));
        cancel();
      }
    }
    for (const { action, next } of outcomes) if (next !== 'unchanged') this.write(action.table, action.key, next);
    const mode = input.ReturnConsumedCapacity;
    return mode === 'TOTAL' || mode === 'INDEXES'
      ? {
          ConsumedCapacity: [...byTable].map(([table, charges]) => {
            const units = charges.reduce((sum, c) => sum + c.write, 0);
            return { TableName: table.name, CapacityUnits: units, WriteCapacityUnits: units, ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units, WriteCapacityUnits: units } } : {}) };
          }),
        }
      : {};
  }
}

/** The same key twice in one request, before the table is known: compared as whole, normalized maps. */
function assertNoDuplicates(keys: Item[]): void {
  const canonical = (value: unknown): string =>
    Array.isArray(value)
      ? `[${value.map(canonical).join(',')}]`
      : value !== null && typeof value === 'object'
        ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
        : JSON.stringify(value);
  const seen = new Set<string>();
  for (const key of keys) {
    const id = canonical(key);
    if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
    seen.add(id);
  }
}

function assertNoDuplicateKeys(table: Table, keys: Item[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    const id = JSON.stringify([key[table.hash.name], table.range ? key[table.range.name] : null]);
    if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
    seen.add(id);
  }
}

/** The first key attribute a filter refers to, if any (DynamoDB rejects those). */
function keyConditionNamesIn(condition: Condition, keyNames: (string | undefined)[]): string | undefined {
  const paths: string[] = [];
  const visitOperand = (o: { kind: string; path?: (string | number)[] }) => {
    if (o.path) paths.push(String(o.path[0]));
  };
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        visit(c.left);
        visit(c.right);
        return;
      case 'not':
        visit(c.operand);
        return;
      case 'compare':
        visitOperand(c.left);
        visitOperand(c.right);
        return;
      case 'between':
        [c.subject, c.low, c.high].forEach(visitOperand);
        return;
      case 'in':
        [c.subject, ...c.list].forEach(visitOperand);
        return;
      default:
        paths.push(String(c.path[0]));
    }
  };
  visit(condition);
  return paths.find((p) => keyNames.includes(p));
}
