/**
 * Request/response vectors for the DynamoDB subset, run in order against connlab's emulator and
 * against dynalite (an independent implementation). Each vector states only the request: the two
 * implementations must agree on the response (or on the error type), not on a value written here.
 *
 * Throttling is absent (dynalite does not model it) and so is TransactWriteItems (dynalite does not
 * implement it); both have their own tests.
 */
import { tableInput } from '../../support/dynamodb-tables.ts';

export interface Vector {
  name: string;
  operation: string;
  input: Record<string, unknown>;
  /**
   * Where dynalite is known to answer differently from DynamoDB itself: the error DynamoDB returns,
   * with the public report of DynamoDB's behaviour. The test then checks the emulator against that
   * and that dynalite still differs (so a fixed dynalite moves the vector back to plain agreement).
   */
  dynaliteDiffers?: { awsError: string; evidence: string };
}

const S = (S: string) => ({ S });
const N = (N: string) => ({ N });

/** Bob's user item (u2); the condition vectors change his age so that each write shows. */
const bob = (age: string) => ({ pk: S('u2'), age: N(age), tags: { SS: ['red', 'blue'] }, nick: S('bob') });

/** A PutItem into `users` that succeeds only where `ConditionExpression` holds. */
const putUserIf = (name: string, Item: Record<string, unknown>, ConditionExpression: string, ExpressionAttributeValues?: Record<string, unknown>): Vector => ({
  name,
  operation: 'PutItem',
  input: { TableName: 'users', Item, ConditionExpression, ...(ExpressionAttributeValues ? { ExpressionAttributeValues } : {}) },
});

/** An item of exactly `bytes` bytes as DynamoDB counts them (ASCII names and values). */
const sized = (pk: string, bytes: number, extra: Record<string, unknown> = {}) => {
  const base = 'pk'.length + pk.length + 'data'.length;
  return { pk: S(pk), data: S('x'.repeat(bytes - base)), ...extra };
};

const orderKey = (pk: string, sk: number) => ({ pk: S(pk), sk: N(String(sk)) });

export const vectors: Vector[] = [
  // ---- CreateTable / DescribeTable
  { name: 'create a hash-key on-demand table', operation: 'CreateTable', input: tableInput('users', [['pk', 'S']]) },
  { name: 'create a hash+range table', operation: 'CreateTable', input: tableInput('orders', [['pk', 'S'], ['sk', 'N']]) },
  { name: 'create a string-range table', operation: 'CreateTable', input: tableInput('events', [['pk', 'S'], ['sk', 'S']]) },
  { name: 'create a binary-key table', operation: 'CreateTable', input: tableInput('blobs', [['k', 'B']]) },
  {
    name: 'create a provisioned table',
    operation: 'CreateTable',
    input: tableInput('provisioned', [['id', 'N']], { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
  },
  { name: 'create an existing table', operation: 'CreateTable', input: tableInput('users', [['pk', 'S']]) },
  {
    name: 'create with an unused attribute definition',
    operation: 'CreateTable',
    input: { ...tableInput('extra', [['pk', 'S']]), AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }] },
  },
  {
    name: 'create with a key attribute not defined',
    operation: 'CreateTable',
    input: { ...tableInput('undefined', [['pk', 'S']]), AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }] },
  },
  {
    name: 'create with RANGE before HASH',
    operation: 'CreateTable',
    input: { ...tableInput('backwards', [['pk', 'S'], ['sk', 'S']]), KeySchema: [{ AttributeName: 'sk', KeyType: 'RANGE' }, { AttributeName: 'pk', KeyType: 'HASH' }] },
  },
  { name: 'create with a two-character name', operation: 'CreateTable', input: tableInput('ab', [['pk', 'S']]) },
  { name: 'create provisioned without throughput', operation: 'CreateTable', input: tableInput('nothroughput', [['pk', 'S']], {}) },
  {
    name: 'create on-demand with throughput',
    operation: 'CreateTable',
    input: tableInput('both', [['pk', 'S']], { BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
  },
  { name: 'create with an invalid attribute type', operation: 'CreateTable', input: tableInput('badtype', [['pk', 'X' as 'S']]) },
  { name: 'describe an on-demand table', operation: 'DescribeTable', input: { TableName: 'orders' } },
  { name: 'describe a provisioned table', operation: 'DescribeTable', input: { TableName: 'provisioned' } },
  { name: 'describe a missing table', operation: 'DescribeTable', input: { TableName: 'missing' } },

  // ---- PutItem
  { name: 'put a simple item', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u1'), name: S('Ada'), age: N('36') } } },
  {
    name: 'put every attribute type',
    operation: 'PutItem',
    input: {
      TableName: 'users',
      Item: {
        pk: S('types'),
        s: S('text'),
        n: N('-12.500'),
        b: { B: 'AAEC' },
        t: { BOOL: true },
        z: { NULL: true },
        ss: { SS: ['b', 'a'] },
        ns: { NS: ['1', '2.50'] },
        bs: { BS: ['AQ==', 'Ag=='] },
        l: { L: [S('x'), N('1'), { L: [] }] },
        m: { M: { child: { M: { deep: S('y') } }, list: { L: [N('3')] } } },
      },
    },
  },
  { name: 'get every attribute type back', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('types') }, ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'numbers are normalized', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('numbers'), a: N('007'), b: N('1.2300'), c: N('1e3'), d: N('-0.0') } } },
  { name: 'get the normalized numbers', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('numbers') } } },
  {
    name: 'overwrite returning ALL_OLD with capacity',
    operation: 'PutItem',
    input: { TableName: 'users', Item: { pk: S('u1'), name: S('Ada L.'), age: N('37') }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' },
  },
  { name: 'put returning ALL_NEW is rejected', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u9') }, ReturnValues: 'ALL_NEW' } },
  { name: 'put without the key', operation: 'PutItem', input: { TableName: 'users', Item: { name: S('nobody') } } },
  { name: 'put with the wrong key type', operation: 'PutItem', input: { TableName: 'users', Item: { pk: N('1') } } },
  { name: 'put with an empty string key', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('') } } },
  { name: 'put without the sort key', operation: 'PutItem', input: { TableName: 'orders', Item: { pk: S('a') } } },
  { name: 'put to a missing table', operation: 'PutItem', input: { TableName: 'missing', Item: { pk: S('a') } } },
  { name: 'put an invalid number', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('bad'), n: N('abc') } } },
  { name: 'put a 39-digit number', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('bad'), n: N('123456789012345678901234567890123456789') } } },
  { name: 'put an empty string set', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('bad'), s: { SS: [] } } } },
  { name: 'put a set with duplicates', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('bad'), s: { SS: ['a', 'a'] } } } },
  { name: 'put an attribute with two types', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('bad'), s: { S: 'a', N: '1' } } } },
  { name: 'put NULL false', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('bad'), z: { NULL: false } } } },
  { name: 'put an item of exactly 400 KB', operation: 'PutItem', input: { TableName: 'users', Item: sized('big', 400 * 1024) } },
  { name: 'put an item one byte over 400 KB', operation: 'PutItem', input: { TableName: 'users', Item: sized('big2', 400 * 1024 + 1) } },
  { name: 'a 400 KB item costs 400 write units', operation: 'PutItem', input: { TableName: 'users', Item: sized('big', 400 * 1024), ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'a 1,024-byte item costs one write unit', operation: 'PutItem', input: { TableName: 'users', Item: sized('k1024', 1024), ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'a 1,025-byte item costs two write units', operation: 'PutItem', input: { TableName: 'users', Item: sized('k1025', 1025), ReturnConsumedCapacity: 'INDEXES' } },
  {
    name: 'numbers count toward item size',
    operation: 'PutItem',
    input: { TableName: 'users', Item: sized('num', 1020, { n: N('-12345.678') }), ReturnConsumedCapacity: 'TOTAL' },
  },
  {
    name: 'nested maps and lists count toward item size',
    operation: 'PutItem',
    input: { TableName: 'users', Item: sized('nest', 1015, { m: { M: { a: { L: [N('1'), { BOOL: true }] } } } }), ReturnConsumedCapacity: 'TOTAL' },
  },
  { name: 'a 4,096-byte item costs one read unit', operation: 'PutItem', input: { TableName: 'users', Item: sized('r4096', 4096) } },
  { name: 'a 4,097-byte item', operation: 'PutItem', input: { TableName: 'users', Item: sized('r4097', 4097) } },
  { name: 'strongly consistent read of 4,096 bytes', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('r4096') }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'strongly consistent read of 4,097 bytes', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('r4097') }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'eventually consistent read of 4,097 bytes', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('r4097') }, ReturnConsumedCapacity: 'INDEXES' } },
  { name: 'read of a missing item', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('nobody') }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' } },

  // ---- ConditionExpression
  putUserIf('attribute_not_exists on an existing item', { pk: S('u1') }, 'attribute_not_exists(pk)'),
  putUserIf('attribute_not_exists on a new item', bob('20'), 'attribute_not_exists(pk)'),
  putUserIf('attribute_exists on a missing item', { pk: S('u3') }, 'attribute_exists(pk)'),
  putUserIf('comparison that holds', bob('21'), 'age < :limit', { ':limit': N('100') }),
  {
    name: 'comparison that fails, returning the old item',
    operation: 'PutItem',
    input: {
      TableName: 'users',
      Item: { pk: S('u2') },
      ConditionExpression: 'age >= :limit',
      ExpressionAttributeValues: { ':limit': N('100') },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  },
  putUserIf('BETWEEN, IN, AND, OR and NOT', bob('22'), '(age BETWEEN :lo AND :hi AND nick IN (:a, :b)) OR NOT attribute_exists(age)', {
    ':lo': N('18'),
    ':hi': N('30'),
    ':a': S('al'),
    ':b': S('bob'),
  }),
  putUserIf('begins_with, contains, size and attribute_type', bob('23'), 'begins_with(nick, :b) AND contains(tags, :red) AND size(nick) = :three AND attribute_type(age, :n)', {
    ':b': S('b'),
    ':red': S('red'),
    ':three': N('3'),
    ':n': S('N'),
  }),
  {
    name: 'a condition that compares different types is false',
    operation: 'DeleteItem',
    input: { TableName: 'users', Key: { pk: S('u2') }, ConditionExpression: 'age > :s', ExpressionAttributeValues: { ':s': S('10') } },
  },
  putUserIf('<> on an absent attribute is true', bob('23'), 'absent <> :x', { ':x': S('x') }),
  {
    name: 'names through ExpressionAttributeNames',
    operation: 'PutItem',
    input: {
      TableName: 'users',
      Item: { ...bob('23'), status: S('on') },
      ConditionExpression: '#n = :bob',
      ExpressionAttributeNames: { '#n': 'nick' },
      ExpressionAttributeValues: { ':bob': S('bob') },
    },
  },
  putUserIf('a reserved word used directly', { pk: S('u2') }, 'status = :s', { ':s': S('on') }),
  putUserIf('an unused attribute value', { pk: S('u5') }, 'attribute_not_exists(pk)', { ':x': S('x') }),
  { name: 'an unused attribute name', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeNames: { '#x': 'x' } } },
  { name: 'an undefined attribute value', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ConditionExpression: 'nick = :nope' } },
  { name: 'an undefined attribute name', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ConditionExpression: 'attribute_exists(#nope)' } },
  { name: 'values without any expression', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'a syntax error', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ConditionExpression: 'nick = = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'an unknown function', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ConditionExpression: 'exists(nick)' } },
  { name: 'an empty condition', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('u5') }, ConditionExpression: '' } },
  {
    name: 'nested path in a condition',
    operation: 'DeleteItem',
    input: { TableName: 'users', Key: { pk: S('types') }, ConditionExpression: 'm.child.deep = :y AND l[1] = :one', ExpressionAttributeValues: { ':y': S('y'), ':one': N('1') }, ReturnValues: 'ALL_OLD' },
  },

  // ---- GetItem / DeleteItem keys
  { name: 'get with an extra key attribute', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('u1'), name: S('Ada') } } },
  { name: 'get without the sort key', operation: 'GetItem', input: { TableName: 'orders', Key: { pk: S('a') } } },
  { name: 'get with the wrong key type', operation: 'GetItem', input: { TableName: 'orders', Key: { pk: S('a'), sk: S('1') } } },
  { name: 'get from a missing table', operation: 'GetItem', input: { TableName: 'missing', Key: { pk: S('a') } } },
  { name: 'get by binary key (missing)', operation: 'GetItem', input: { TableName: 'blobs', Key: { k: { B: 'AQI=' } } } },
  { name: 'put by binary key', operation: 'PutItem', input: { TableName: 'blobs', Item: { k: { B: 'AQI=' }, v: S('bytes') } } },
  { name: 'get by binary key', operation: 'GetItem', input: { TableName: 'blobs', Key: { k: { B: 'AQI=' } } } },
  { name: 'delete returning ALL_OLD', operation: 'DeleteItem', input: { TableName: 'users', Key: { pk: S('numbers') }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'delete a missing item', operation: 'DeleteItem', input: { TableName: 'users', Key: { pk: S('numbers') }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'conditional delete that fails', operation: 'DeleteItem', input: { TableName: 'users', Key: { pk: S('u1') }, ConditionExpression: 'age = :a', ExpressionAttributeValues: { ':a': N('1') } } },
  { name: 'conditional delete that holds', operation: 'DeleteItem', input: { TableName: 'users', Key: { pk: S('k1024') }, ConditionExpression: 'attribute_exists(#d)', ExpressionAttributeNames: { '#d': 'data' }, ReturnValues: 'ALL_OLD' } },
  { name: 'the deleted item is gone', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('k1024') } } },

  // ---- UpdateItem
  { name: 'update creates a missing item', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET visits = :one', ExpressionAttributeValues: { ':one': N('1') }, ReturnValues: 'ALL_NEW' } },
  { name: 'SET arithmetic', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET visits = visits + :one', ExpressionAttributeValues: { ':one': N('1') }, ReturnValues: 'UPDATED_NEW' } },
  { name: 'SET subtraction with decimals', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET visits = visits - :x', ExpressionAttributeValues: { ':x': N('0.25') }, ReturnValues: 'UPDATED_OLD' } },
  {
    name: 'SET if_not_exists and list_append',
    operation: 'UpdateItem',
    input: {
      TableName: 'users',
      Key: { pk: S('c1') },
      UpdateExpression: 'SET firstSeen = if_not_exists(firstSeen, :now), history = list_append(if_not_exists(history, :empty), :entry)',
      ExpressionAttributeValues: { ':now': N('100'), ':empty': { L: [] }, ':entry': { L: [S('login')] } },
      ReturnValues: 'ALL_NEW',
    },
  },
  {
    name: 'if_not_exists keeps an existing value',
    operation: 'UpdateItem',
    input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET firstSeen = if_not_exists(firstSeen, :now)', ExpressionAttributeValues: { ':now': N('200') }, ReturnValues: 'ALL_NEW' },
  },
  {
    name: 'SET a map and then a nested path',
    operation: 'UpdateItem',
    input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET prefs = :m', ExpressionAttributeValues: { ':m': { M: { theme: S('dark'), sizes: { L: [N('1'), N('2')] } } } } },
  },
  {
    name: 'SET nested map entry and list element',
    operation: 'UpdateItem',
    input: {
      TableName: 'users',
      Key: { pk: S('c1') },
      UpdateExpression: 'SET prefs.theme = :light, prefs.sizes[1] = :three, prefs.sizes[5] = :nine',
      ExpressionAttributeValues: { ':light': S('light'), ':three': N('3'), ':nine': N('9') },
      ReturnValues: 'ALL_NEW',
    },
  },
  { name: 'REMOVE an attribute and a list element', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'REMOVE firstSeen, prefs.sizes[0]', ReturnValues: 'ALL_NEW' } },
  { name: 'ADD to a number and create a set', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'ADD visits :five, colors :c', ExpressionAttributeValues: { ':five': N('5'), ':c': { SS: ['red', 'green'] } }, ReturnValues: 'ALL_NEW' } },
  { name: 'ADD to a set', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'ADD colors :c', ExpressionAttributeValues: { ':c': { SS: ['green', 'blue'] } }, ReturnValues: 'UPDATED_NEW' } },
  { name: 'DELETE from a set', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'DELETE colors :c', ExpressionAttributeValues: { ':c': { SS: ['red'] } }, ReturnValues: 'UPDATED_NEW' } },
  { name: 'SET, REMOVE and ADD in one expression', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET a = :a REMOVE history ADD hits :one', ExpressionAttributeValues: { ':a': S('A'), ':one': N('1') }, ReturnValues: 'ALL_NEW', ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'update a key attribute', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET pk = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'ADD a string', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'ADD visits :s', ExpressionAttributeValues: { ':s': S('x') } } },
  { name: 'arithmetic on a string', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET a = a + :one', ExpressionAttributeValues: { ':one': N('1') } } },
  { name: 'SET from a missing attribute', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET b = nothing' } },
  { name: 'overlapping paths', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET prefs.theme = :x REMOVE prefs', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'SET section twice', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET a = :x SET b = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'nested SET under a missing map', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET nomap.x = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  {
    name: 'conditional update that fails',
    operation: 'UpdateItem',
    input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET a = :x', ConditionExpression: 'a = :y', ExpressionAttributeValues: { ':x': S('x'), ':y': S('nope') } },
  },
  {
    name: 'conditional update that holds',
    operation: 'UpdateItem',
    input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET a = :x', ConditionExpression: 'a = :a', ExpressionAttributeValues: { ':x': S('x'), ':a': S('A') }, ReturnValues: 'UPDATED_OLD' },
  },
  { name: 'update that grows an item past 400 KB', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('big') }, UpdateExpression: 'SET more = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'update with a value used only in the condition', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'REMOVE b', ConditionExpression: 'a = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'update on a missing table', operation: 'UpdateItem', input: { TableName: 'missing', Key: { pk: S('c1') }, UpdateExpression: 'REMOVE b' } },

  // ---- Query (data set: orders a/0..9 with growing payloads, events with string sort keys)
  ...Array.from({ length: 10 }, (_, i): Vector => ({
    name: `seed order a/${i}`,
    operation: 'PutItem',
    input: { TableName: 'orders', Item: { ...orderKey('a', i), amount: N(String(i * 10)), note: S('n'.repeat(500 * i)) } },
  })),
  { name: 'seed order b/1', operation: 'PutItem', input: { TableName: 'orders', Item: { ...orderKey('b', 1), amount: N('5') } } },
  ...['2024-01-01', '2024-01-15', '2024-02-01', '2024-02-14', '2024-03-01', 'z'].map(
    (sk): Vector => ({ name: `seed event ${sk}`, operation: 'PutItem', input: { TableName: 'events', Item: { pk: S('e'), sk: S(sk) } } }),
  ),
  { name: 'query a partition', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'query backwards', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ScanIndexForward: false } },
  { name: 'query sort key =', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('3') } } },
  { name: 'query sort key <', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk < :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('3') } } },
  { name: 'query sort key <=', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk <= :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('3') } } },
  { name: 'query sort key >', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('7') } } },
  { name: 'query sort key >= with names', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: '#p = :p AND #s >= :s', ExpressionAttributeNames: { '#p': 'pk', '#s': 'sk' }, ExpressionAttributeValues: { ':p': S('a'), ':s': N('7') } } },
  { name: 'query with the value on the left', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: ':p = pk AND :s > sk', ExpressionAttributeValues: { ':p': S('a'), ':s': N('2') } } },
  { name: 'query BETWEEN', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':p': S('a'), ':lo': N('2'), ':hi': N('5') }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'query begins_with', operation: 'Query', input: { TableName: 'events', KeyConditionExpression: 'pk = :p AND begins_with(sk, :month)', ExpressionAttributeValues: { ':p': S('e'), ':month': S('2024-02') } } },
  { name: 'query string BETWEEN', operation: 'Query', input: { TableName: 'events', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': S('e'), ':a': S('2024-01-10'), ':b': S('2024-02-10') } } },
  { name: 'query with Limit', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Limit: 3 } },
  { name: 'query continuing from a key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Limit: 3, ExclusiveStartKey: orderKey('a', 2) } },
  { name: 'query backwards from a key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ScanIndexForward: false, Limit: 2, ExclusiveStartKey: orderKey('a', 5) } },
  { name: 'query with Limit equal to the matches', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('b') }, Limit: 1 } },
  { name: 'query with Limit above the matches', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('b') }, Limit: 2 } },
  { name: 'query from the last key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ExclusiveStartKey: orderKey('a', 9) } },
  { name: 'query with a filter', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', FilterExpression: 'amount >= :t', ExpressionAttributeValues: { ':p': S('a'), ':t': N('50') }, Limit: 8 } },
  { name: 'query counting', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('4') }, Select: 'COUNT' } },
  { name: 'query an empty partition', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('none') } } },
  { name: 'query a hash-only table', operation: 'Query', input: { TableName: 'users', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('u1') } } },
  { name: 'query on a non-key attribute', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND amount = :t', ExpressionAttributeValues: { ':p': S('a'), ':t': N('1') } } },
  { name: 'query without the partition key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'sk = :s', ExpressionAttributeValues: { ':s': N('1') } } },
  { name: 'query with OR', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p OR sk = :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('1') } } },
  { name: 'query partition key with <', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk < :p', ExpressionAttributeValues: { ':p': S('a') } } },
  { name: 'query with the wrong key type', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N('1') } } },
  { name: 'query with a reversed BETWEEN', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':p': S('a'), ':lo': N('2'), ':hi': N('5') } } },
  { name: 'query with begins_with on a number', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': S('a'), ':s': N('1') } } },
  { name: 'query filtering on a key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :s', ExpressionAttributeValues: { ':p': S('a'), ':s': N('1') } } },
  { name: 'query with Limit 0', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Limit: 0 } },
  { name: 'query with a bad start key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ExclusiveStartKey: { pk: S('a') } } },
  { name: 'query without a key condition', operation: 'Query', input: { TableName: 'orders' } },
  { name: 'query a missing table', operation: 'Query', input: { TableName: 'missing', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') } } },

  // ---- BatchGetItem / BatchWriteItem
  {
    name: 'batch get across two tables',
    operation: 'BatchGetItem',
    input: { RequestItems: { users: { Keys: [{ pk: S('u1') }, { pk: S('nobody') }, { pk: S('u2') }] }, orders: { Keys: [orderKey('a', 1), orderKey('b', 1)], ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' },
  },
  { name: 'batch get with duplicate keys', operation: 'BatchGetItem', input: { RequestItems: { users: { Keys: [{ pk: S('u1') }, { pk: S('u1') }] } } } },
  { name: 'batch get of 101 keys', operation: 'BatchGetItem', input: { RequestItems: { users: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: S(`k${i}`) })) } } } },
  { name: 'batch get from a missing table', operation: 'BatchGetItem', input: { RequestItems: { missing: { Keys: [{ pk: S('u1') }] } } } },
  { name: 'batch get with a bad key', operation: 'BatchGetItem', input: { RequestItems: { orders: { Keys: [{ pk: S('a') }] } } } },
  {
    name: 'batch write puts and deletes',
    operation: 'BatchWriteItem',
    input: {
      RequestItems: {
        users: [{ PutRequest: { Item: { pk: S('w1'), v: N('1') } } }, { PutRequest: { Item: sized('w2', 2048) } }, { DeleteRequest: { Key: { pk: S('u2') } } }],
        orders: [{ DeleteRequest: { Key: orderKey('b', 1) } }],
      },
      ReturnConsumedCapacity: 'TOTAL',
    },
  },
  { name: 'batch get after the batch write', operation: 'BatchGetItem', input: { RequestItems: { users: { Keys: [{ pk: S('w1') }, { pk: S('u2') }] }, orders: { Keys: [orderKey('b', 1)] } } } },
  { name: 'batch write with duplicate keys', operation: 'BatchWriteItem', input: { RequestItems: { users: [{ PutRequest: { Item: { pk: S('d') } } }, { DeleteRequest: { Key: { pk: S('d') } } }] } } },
  { name: 'batch write of 26 requests', operation: 'BatchWriteItem', input: { RequestItems: { users: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: S(`p${i}`) } } })) } } },
  { name: 'batch write of an oversized item', operation: 'BatchWriteItem', input: { RequestItems: { users: [{ PutRequest: { Item: sized('huge', 400 * 1024 + 1) } }] } } },
  { name: 'batch write to a missing table', operation: 'BatchWriteItem', input: { RequestItems: { missing: [{ PutRequest: { Item: { pk: S('x') } } }] } } },
  { name: 'batch write with a missing key', operation: 'BatchWriteItem', input: { RequestItems: { orders: [{ PutRequest: { Item: { pk: S('x') } } }] } } },

  // ---- More edge cases: ordering, nesting, empty values, number precision
  { name: 'create a binary-range table', operation: 'CreateTable', input: tableInput('bins', [['pk', 'S'], ['sk', 'B']]) },
  ...['AA==', 'AQ==', 'AQI=', '/w==', 'gA=='].map((sk): Vector => ({ name: `seed binary sort key ${sk}`, operation: 'PutItem', input: { TableName: 'bins', Item: { pk: S('b'), sk: { B: sk } } } })),
  { name: 'binary sort keys order by unsigned bytes', operation: 'Query', input: { TableName: 'bins', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('b') } } },
  { name: 'begins_with on a binary sort key', operation: 'Query', input: { TableName: 'bins', KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)', ExpressionAttributeValues: { ':p': S('b'), ':b': { B: 'AQ==' } } } },
  ...['-10', '-2.5', '0', '9', '10', '1e2'].map((n): Vector => ({ name: `seed numeric sort key ${n}`, operation: 'PutItem', input: { TableName: 'orders', Item: { pk: S('nums'), sk: N(n) } } })),
  { name: 'numeric sort keys order by value, not text', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk > :lo', ExpressionAttributeValues: { ':p': S('nums'), ':lo': N('-3') } } },
  { name: 'empty string and binary in non-key attributes', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('empty'), s: S(''), b: { B: '' } }, ReturnValues: 'ALL_OLD' } },
  { name: 'get the empty values back', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('empty') } } },
  { name: 'ALL_OLD on a new item returns nothing', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('fresh') }, ReturnValues: 'ALL_OLD' } },
  {
    name: 'delete returning ALL_NEW is rejected',
    operation: 'DeleteItem',
    input: { TableName: 'users', Key: { pk: S('fresh') }, ReturnValues: 'ALL_NEW' },
    dynaliteDiffers: {
      awsError: 'ValidationException',
      evidence: 'DynamoDB answers "ReturnValues can only be ALL_OLD or NONE" to DeleteItem (https://github.com/boto/boto3/issues/4339); dynalite accepts it.',
    },
  },
  { name: 'update without an expression creates a key-only item', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('bare') }, ReturnValues: 'ALL_NEW' } },
  { name: 'update of a missing item under attribute_exists', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('ghost') }, UpdateExpression: 'SET a = :a', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':a': S('a') } } },
  { name: 'decimal ADD is exact', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('dec') }, UpdateExpression: 'ADD x :a', ExpressionAttributeValues: { ':a': N('0.1') }, ReturnValues: 'ALL_NEW' } },
  { name: 'decimal ADD is exact (second)', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('dec') }, UpdateExpression: 'ADD x :a', ExpressionAttributeValues: { ':a': N('0.2') }, ReturnValues: 'ALL_NEW' } },
  { name: 'large and small magnitudes', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('mag'), big: N('9.9999999999999999999999999999999999999E+125'), small: N('-1E-130') }, ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'get the magnitudes back', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('mag') } } },
  { name: 'a number past the largest magnitude', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('mag2'), n: N('1E+126') } } },
  { name: 'a number past the smallest magnitude', operation: 'PutItem', input: { TableName: 'users', Item: { pk: S('mag2'), n: N('1E-131') } } },
  { name: 'ADD numbers to a number set, normalized', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('sets') }, UpdateExpression: 'ADD ns :a', ExpressionAttributeValues: { ':a': { NS: ['1.0', '2'] } }, ReturnValues: 'ALL_NEW' } },
  { name: 'ADD an equal number to a number set', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('sets') }, UpdateExpression: 'ADD ns :a', ExpressionAttributeValues: { ':a': { NS: ['1', '3'] } }, ReturnValues: 'UPDATED_NEW' } },
  { name: 'DELETE every member removes the set', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('sets') }, UpdateExpression: 'DELETE ns :a', ExpressionAttributeValues: { ':a': { NS: ['1', '2', '3'] } }, ReturnValues: 'ALL_NEW' } },
  { name: 'ADD a string set to a number set', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'ADD colors :n', ExpressionAttributeValues: { ':n': { NS: ['1'] } } } },
  {
    name: 'REMOVE a nested map key',
    operation: 'UpdateItem',
    input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'REMOVE prefs.theme', ReturnValues: 'ALL_NEW' },
  },
  {
    name: 'conditions on lists, sizes, nesting and IN with numbers',
    operation: 'UpdateItem',
    input: {
      TableName: 'users',
      Key: { pk: S('c1') },
      UpdateExpression: 'SET checked = :t',
      ConditionExpression: 'size(prefs.sizes) = :two AND contains(prefs.sizes, :nine) AND attribute_not_exists(prefs.theme) AND visits IN (:v1, :v2) AND NOT attribute_not_exists(a)',
      ExpressionAttributeValues: { ':t': { BOOL: true }, ':two': N('2'), ':nine': N('9'), ':v1': N('1'), ':v2': N('6.75') },
      ReturnValues: 'UPDATED_NEW',
    },
  },
  { name: 'UPDATED_OLD after SET on a nested path', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET prefs.sizes[0] = :z', ExpressionAttributeValues: { ':z': N('0') }, ReturnValues: 'UPDATED_OLD' } },
  { name: 'UPDATED_NEW after SET on list elements', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET prefs.sizes[1] = :n, prefs.sizes[0] = :z', ExpressionAttributeValues: { ':n': N('8'), ':z': N('1') }, ReturnValues: 'UPDATED_NEW' } },
  { name: 'UPDATED_NEW after SET on a nested path', operation: 'UpdateItem', input: { TableName: 'users', Key: { pk: S('c1') }, UpdateExpression: 'SET prefs.mode = :m', ExpressionAttributeValues: { ':m': S('auto') }, ReturnValues: 'UPDATED_NEW' } },
  { name: 'query counting with capacity', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'query with a name placeholder for a reserved key name', operation: 'Query', input: { TableName: 'users', KeyConditionExpression: '#k = :p', ExpressionAttributeNames: { '#k': 'pk' }, ExpressionAttributeValues: { ':p': S('c1') } } },
  { name: 'query with an unused value', operation: 'Query', input: { TableName: 'users', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('c1'), ':q': S('x') } } },

  // ---- Query's 1 MB page: items of about 100 KB, one partition
  ...Array.from({ length: 14 }, (_, i): Vector => ({
    name: `seed a 100 KB order big/${i}`,
    operation: 'PutItem',
    input: { TableName: 'orders', Item: { ...orderKey('big', i), blob: S('b'.repeat(100_000 + i * 500)), tags: { SS: ['x', 'y'] }, m: { M: { k: N('1') } } } },
  })),
  { name: 'query stops at 1 MB and returns the last key', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('big') }, ReturnConsumedCapacity: 'TOTAL', Select: 'COUNT' } },
  { name: 'query continues after the 1 MB page', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('big') }, ExclusiveStartKey: orderKey('big', 9), Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'query backwards stops at 1 MB too', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('big') }, ScanIndexForward: false, Select: 'COUNT' } },

  // ---- ProjectionExpression
  {
    name: 'seed an item to project',
    operation: 'PutItem',
    input: { TableName: 'users', Item: { pk: S('proj'), a: S('A'), b: N('2'), m: { M: { x: S('X'), y: { M: { z: N('26') } } } }, l: { L: [S('l0'), S('l1'), S('l2'), S('l3')] } } },
  },
  { name: 'get with a projection of top-level names', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('proj') }, ProjectionExpression: 'a, b, missingName', ReturnConsumedCapacity: 'TOTAL' } },
  { name: 'get with nested map and list paths', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('proj') }, ProjectionExpression: 'm.y.z, l[3], l[1], #n', ExpressionAttributeNames: { '#n': 'name' } } },
  { name: 'get with overlapping projection paths', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('proj') }, ProjectionExpression: 'm, m.x' } },
  { name: 'get with a reserved word in the projection', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('proj') }, ProjectionExpression: 'name' } },
  { name: 'get with an unused name beside a projection', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('proj') }, ProjectionExpression: 'a', ExpressionAttributeNames: { '#x': 'x' } } },
  { name: 'get with names but no projection', operation: 'GetItem', input: { TableName: 'users', Key: { pk: S('proj') }, ExpressionAttributeNames: { '#x': 'x' } } },
  { name: 'query with a projection and a filter', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', FilterExpression: 'amount > :t', ProjectionExpression: 'sk, amount', ExpressionAttributeValues: { ':p': S('a'), ':t': N('60') } } },
  { name: 'query projecting SPECIFIC_ATTRIBUTES', operation: 'Query', input: { TableName: 'orders', KeyConditionExpression: 'pk = :p', ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'sk' }, ExpressionAttributeValues: { ':p': S('a') }, Select: 'SPECIFIC_ATTRIBUTES', Limit: 2 } },
  { name: 'batch get with a projection', operation: 'BatchGetItem', input: { RequestItems: { users: { Keys: [{ pk: S('proj') }, { pk: S('u1') }], ProjectionExpression: 'pk, l[0], age' } } } },

  // ---- Which error wins: request validation comes before the table lookup
  { name: 'a bad number on a missing table', operation: 'PutItem', input: { TableName: 'missing', Item: { pk: S('a'), n: N('x') } } },
  { name: 'a syntax error on a missing table', operation: 'PutItem', input: { TableName: 'missing', Item: { pk: S('a') }, ConditionExpression: 'a = = b' } },
  { name: 'an unused value on a missing table', operation: 'DeleteItem', input: { TableName: 'missing', Key: { pk: S('a') }, ConditionExpression: 'attribute_exists(a)', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'a reserved word in an update on a missing table', operation: 'UpdateItem', input: { TableName: 'missing', Key: { pk: S('a') }, UpdateExpression: 'SET size = :x', ExpressionAttributeValues: { ':x': S('x') } } },
  { name: 'a query without key condition on a missing table', operation: 'Query', input: { TableName: 'missing' } },
  { name: 'a query with a bad limit on a missing table', operation: 'Query', input: { TableName: 'missing', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Limit: 0 } },
  { name: 'a key of the wrong shape on an existing table wins over nothing', operation: 'GetItem', input: { TableName: 'users', Key: { pk: { S: 'a', N: '1' } } } },
  { name: 'an oversized item on a missing table', operation: 'PutItem', input: { TableName: 'missing', Item: sized('huge', 400 * 1024 + 1) } },
  { name: 'duplicate batch keys on a missing table', operation: 'BatchGetItem', input: { RequestItems: { missing: { Keys: [{ pk: S('a') }, { pk: S('a') }] } } } },
  { name: 'describe after all writes', operation: 'DescribeTable', input: { TableName: 'events' } },
];
