/**
 * Query: the items of one partition, in sort-key order, that match the key condition, paged by
 * Limit and by DynamoDB's page size, then filtered (the filter trims the answer, not the cost).
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { readUnits } from './capacity.ts';
import { invalidParameter, validation } from './errors.ts';
import { evaluate, projectPaths } from './expression-evaluation.ts';
import { type Condition, parseCondition, parseProjection } from './expression-parser.ts';
import { ExpressionScope } from './expression-scope.ts';
import { keyOfItem, matchKey, partitionOf, partitionOfKey, rejectEmptyKey } from './items.ts';
import { bindKeyCondition, matchesSortKey, parseKeyCondition } from './key-condition.ts';
import { admitOrThrottle, consumedCapacity } from './metering.ts';
import { type Input, unsupported } from './requests.ts';
import type { TableStore } from './tables.ts';
import { type AttributeValue, type Item, checkItem, compareScalars, itemSize, pageSize, typeOf } from './values.ts';

export function query(tables: TableStore, input: Input<'Query'>): Record<string, unknown> {
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
  const table = tables.get(input.TableName);
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
  const keyInFilter = filter && keyAttributeIn(filter, [table.hash.name, table.range?.name]);
  if (keyInFilter) throw validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${keyInFilter}`);
  rejectEmptyKey(table.hash.name, keyCondition.partitionValue);
  const partition = partitionOf(table, keyCondition.partitionValue);
  let candidates = (table.partitions.get(partition) ?? []).filter(
    (item) => !keyCondition.sort || !table.range || matchesSortKey(item[table.range.name] as AttributeValue, keyCondition.sort),
  );
  const forward = input.ScanIndexForward !== false;
  if (!forward) candidates = [...candidates].reverse();
  if (startKey) {
    const start = matchKey(table, startKey, 'The provided starting key is invalid: The provided key element does not match the schema');
    if (typeOf(start[table.hash.name] as AttributeValue) !== table.hash.type || partitionOfKey(table, start) !== partition) {
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
  admitOrThrottle(table, [{ partition, read: units, write: 0 }]);
  const lastKey = stoppedEarly && last ? keyOfItem(table, last) : undefined;
  return {
    ...(input.Select === 'COUNT' ? {} : { Items: items.map((item) => (paths ? projectPaths(item, paths) : structuredClone(item))) }),
    Count: items.length,
    ScannedCount: scanned,
    ...(lastKey ? { LastEvaluatedKey: lastKey } : {}),
    ...consumedCapacity(table, units, input.ReturnConsumedCapacity),
  };
}

/** The first key attribute a filter refers to, if any (DynamoDB rejects those). */
function keyAttributeIn(condition: Condition, keyNames: (string | undefined)[]): string | undefined {
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
