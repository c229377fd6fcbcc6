/**
 * The requests the emulator accepts: the operations of the subset, the envelope of each (checked
 * with zod, worded like DynamoDB's own validation errors), and the refusal of what is outside the subset.
 * Attribute values inside the envelope are checked by `values.ts`.
 */
import * as z from 'zod/mini';
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { validation } from './errors.ts';

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

export const unsupported = (what: string) =>
  validation(`${what} is outside the subset modelled by connlab's DynamoDB emulator (${SUPPORTED_OPERATIONS.join(', ')}; expressions only, no secondary indexes, streams or legacy parameters).`);

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

/** The checked input of an operation. */
export type Input<O extends Operation> = z.infer<(typeof schemas)[O]>;

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

export function parseInput<O extends Operation>(operation: O, input: unknown): Input<O> {
  const renamed = hasProtoMember(input);
  const result = schemas[operation].safeParse(renamed ? renameMembers(input, PROTO, STAND_IN) : (input ?? {}));
  if (result.success) return (renamed ? renameMembers(result.data, STAND_IN, PROTO) : result.data) as Input<O>;
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

/** The expression members a write request may carry. */
export type ExpressionInput = {
  ConditionExpression?: string | undefined;
  ExpressionAttributeNames?: Record<string, string> | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
};

/** Rejects the legacy (pre-expression) parameters and features outside the subset. */
export function rejectOutsideSubset(input: Record<string, unknown>): void {
  for (const legacy of ['Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ConditionalOperator', 'AttributesToGet', 'ScanFilter']) {
    if (input[legacy] !== undefined) throw unsupported(`The legacy parameter ${legacy}`);
  }
  for (const feature of ['IndexName', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'StreamSpecification', 'ReturnItemCollectionMetrics']) {
    if (input[feature] !== undefined) throw unsupported(feature);
  }
}
