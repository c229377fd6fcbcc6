/**
 * Issue 11, point 6, in the DynamoDB emulator: every name a request carries (attributes, key
 * attributes, ExpressionAttributeNames and Values, table names) is a key like any other. Before,
 * `constructor` or `toString` found Object.prototype's members and `__proto__` vanished (or became
 * a prototype). Driven through the AWS JSON protocol the SDK speaks.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDBEmulator } from '../../../src/engine/dynamodb/index.ts';

function emulator() {
  const dynamo = new DynamoDBEmulator();
  const call = (operation: string, input: unknown) => {
    const answer = dynamo.respond(`DynamoDB_20120810.${operation}`, typeof input === 'string' ? input : JSON.stringify(input));
    const body = JSON.parse(answer.body) as Record<string, unknown> & { __type?: string; message?: string };
    return { status: answer.statusCode, type: body.__type?.split('#')[1], message: body.message, body };
  };
  const table = (name: string, key: string) =>
    call('CreateTable', { TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }] });
  return { call, table };
}

describe('DynamoDB: names from the request are own keys only', () => {
  it('a key attribute named constructor is missing from an item that lacks it, as pk would be', () => {
    const { call, table } = emulator();
    expect(table('by_constructor', 'constructor').status).toBe(200);
    expect(table('by_pk', 'pk').status).toBe(200);
    const missing = call('PutItem', { TableName: 'by_constructor', Item: { other: { S: 'x' } } });
    const reference = call('PutItem', { TableName: 'by_pk', Item: { other: { S: 'x' } } });
    expect(reference.type).toBe('ValidationException');
    expect(missing.type).toBe('ValidationException');
    expect(missing.message).toBe(reference.message!.replace('pk', 'constructor'));
  });

  it('keeps attributes named __proto__ and constructor, as written (JSON text, as the SDK sends it)', () => {
    const { call, table } = emulator();
    table('orders', 'pk');
    expect(call('PutItem', '{"TableName":"orders","Item":{"pk":{"S":"a"},"__proto__":{"S":"p"},"constructor":{"M":{"__proto__":{"N":"1"}}}}}').status).toBe(200);
    const got = call('GetItem', { TableName: 'orders', Key: { pk: { S: 'a' } } });
    expect(JSON.stringify(got.body)).toBe('{"Item":{"pk":{"S":"a"},"__proto__":{"S":"p"},"constructor":{"M":{"__proto__":{"N":"1"}}}}}');
  });

  it('a condition on toString or valueOf sees no such attribute on an item that lacks it', () => {
    const { call, table } = emulator();
    table('orders', 'pk');
    for (const name of ['toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const answer = call('PutItem', { TableName: 'orders', Item: { pk: { S: name } }, ConditionExpression: 'attribute_exists(#n)', ExpressionAttributeNames: { '#n': name } });
      expect(answer.type, name).toBe('ConditionalCheckFailedException');
    }
  });

  it('UpdateItem sets attributes named __proto__ and hasOwnProperty (it answered 500 before)', () => {
    const { call, table } = emulator();
    table('orders', 'pk');
    call('PutItem', { TableName: 'orders', Item: { pk: { S: 'a' } } });
    const updated = call('UpdateItem', {
      TableName: 'orders',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET #p = :p, #h = :h',
      ExpressionAttributeNames: { '#p': '__proto__', '#h': 'hasOwnProperty' },
      ExpressionAttributeValues: { ':p': { S: 'set' }, ':h': { S: 'h' } },
      ReturnValues: 'ALL_NEW',
    });
    expect(updated.status, updated.message).toBe(200);
    expect(JSON.stringify(call('GetItem', { TableName: 'orders', Key: { pk: { S: 'a' } } }).body)).toBe('{"Item":{"pk":{"S":"a"},"__proto__":{"S":"set"},"hasOwnProperty":{"S":"h"}}}');
  });

  it('an ExpressionAttributeValues member named __proto__ is reported unused, not dropped', () => {
    const { call, table } = emulator();
    table('orders', 'pk');
    const answer = call('PutItem', '{"TableName":"orders","Item":{"pk":{"S":"e"}},"ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{"__proto__":{"S":"x"}}}');
    expect(answer.type).toBe('ValidationException');
    expect(answer.message).toContain('__proto__');
  });

  it('a table named __proto__ is reached by BatchWriteItem and BatchGetItem', () => {
    const { call, table } = emulator();
    expect(table('__proto__', 'pk').status).toBe(200);
    const written = call('BatchWriteItem', '{"RequestItems":{"__proto__":[{"PutRequest":{"Item":{"pk":{"S":"z"}}}}]}}');
    expect(written.status, written.message).toBe(200);
    const read = call('BatchGetItem', '{"RequestItems":{"__proto__":{"Keys":[{"pk":{"S":"z"}}]}}}');
    expect(JSON.stringify((read.body as { Responses: unknown }).Responses)).toBe('{"__proto__":[{"pk":{"S":"z"}}]}');
  });
});
