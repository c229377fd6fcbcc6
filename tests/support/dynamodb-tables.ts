/** CreateTable inputs for the DynamoDB tests, written once. */
import type { CreateTableCommandInput, KeyType, ScalarAttributeType } from '@aws-sdk/client-dynamodb';

/**
 * A CreateTable input from its key attributes, `[name, type]`: the first is the partition key, a
 * second the sort key. On demand unless `extra` says otherwise.
 */
export const tableInput = (TableName: string, keys: [string, ScalarAttributeType][], extra: Partial<CreateTableCommandInput> = { BillingMode: 'PAY_PER_REQUEST' }) => ({
  TableName,
  KeySchema: keys.map(([AttributeName], i) => ({ AttributeName, KeyType: (i === 0 ? 'HASH' : 'RANGE') as KeyType })),
  AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
  ...extra,
});
