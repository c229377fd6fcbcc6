/**
 * The single-item operations: PutItem, GetItem, DeleteItem and UpdateItem. Each checks its request
 * on its own first, as DynamoDB does, then looks the table up, charges the request, checks its
 * condition against the stored item and only then writes.
 */
import { readUnits } from './capacity.ts';
import { conditionalCheckFailed, validation } from './errors.ts';
import { evaluate, projectPaths } from './expression-evaluation.ts';
import type { Condition } from './expression-parser.ts';
import { checkSize, keyOfItem, matchKey, partitionOfKey, readItem, writeItem } from './items.ts';
import { admitOrThrottle, consumedCapacity, writeCost } from './metering.ts';
import { readProjection, rejectKeyUpdates, requestCondition, updateRequest } from './request-expressions.ts';
import type { Input } from './requests.ts';
import type { Table, TableStore } from './tables.ts';
import { applyUpdate } from './update-application.ts';
import { type Item, checkItem, itemSize } from './values.ts';

type Output = Record<string, unknown>;

/** PutItem and DeleteItem can return only the old item. */
function onlyAllOld(returnValues: string | undefined): void {
  if (returnValues && returnValues !== 'NONE' && returnValues !== 'ALL_OLD') throw validation('ReturnValues can only be ALL_OLD or NONE');
}

/**
 * Charges a single-item write, checks its condition against the stored item, then stores `next`
 * (undefined deletes). Returns the units charged.
 */
function conditionalWrite(table: Table, key: Item, existing: Item | undefined, next: Item | undefined, condition: Condition | undefined, returnOld: string | undefined): number {
  const units = writeCost(existing, next);
  admitOrThrottle(table, [{ partition: partitionOfKey(table, key), read: 0, write: units }]);
  if (condition && !evaluate(condition, existing ?? {})) {
    throw conditionalCheckFailed(returnOld === 'ALL_OLD' && existing ? structuredClone(existing) : undefined);
  }
  writeItem(table, key, next);
  return units;
}

export function putItem(tables: TableStore, input: Input<'PutItem'>): Output {
  const item = checkItem(input.Item, 'Item');
  onlyAllOld(input.ReturnValues);
  checkSize(item, 'Item size has exceeded the maximum allowed size');
  return replaceItem(tables, input, (table) => keyOfItem(table, item), item);
}

export function deleteItem(tables: TableStore, input: Input<'DeleteItem'>): Output {
  const rawKey = checkItem(input.Key, 'Key');
  onlyAllOld(input.ReturnValues);
  return replaceItem(tables, input, (table) => matchKey(table, rawKey), undefined);
}

/**
 * What PutItem and DeleteItem share once their own checks pass: the item at the key replaced by
 * `next`, or removed; the answer carries the old item and the capacity when asked for.
 */
function replaceItem(tables: TableStore, input: Input<'PutItem' | 'DeleteItem'>, keyIn: (table: Table) => Item, next: Item | undefined): Output {
  const condition = requestCondition(input);
  const table = tables.get(input.TableName);
  const key = keyIn(table);
  const existing = readItem(table, key);
  const units = conditionalWrite(table, key, existing, next, condition, input.ReturnValuesOnConditionCheckFailure);
  return {
    ...(input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {}),
    ...consumedCapacity(table, units, input.ReturnConsumedCapacity),
  };
}

export function getItem(tables: TableStore, input: Input<'GetItem'>): Output {
  const rawKey = checkItem(input.Key, 'Key');
  const project = readProjection(input);
  const table = tables.get(input.TableName);
  const key = matchKey(table, rawKey);
  const item = readItem(table, key);
  // A projection trims the answer, not the cost: the whole item is read.
  const units = readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true);
  admitOrThrottle(table, [{ partition: partitionOfKey(table, key), read: units, write: 0 }]);
  return { ...(item ? { Item: project(item) } : {}), ...consumedCapacity(table, units, input.ReturnConsumedCapacity) };
}

export function updateItem(tables: TableStore, input: Input<'UpdateItem'>): Output {
  const rawKey = checkItem(input.Key, 'Key');
  const { condition, plan } = updateRequest(input);
  const table = tables.get(input.TableName);
  const key = matchKey(table, rawKey);
  rejectKeyUpdates(table, plan);
  const existing = readItem(table, key);
  const { item: updated, touched } = applyUpdate(existing ?? key, plan);
  checkSize(updated, 'Item size to update has exceeded the maximum allowed size');
  const units = conditionalWrite(table, key, existing, updated, condition, input.ReturnValuesOnConditionCheckFailure);
  const attributes: Record<string, Item | undefined> = {
    ALL_OLD: existing,
    ALL_NEW: updated,
    UPDATED_OLD: existing ? projectPaths(existing, touched) : undefined,
    UPDATED_NEW: projectPaths(updated, touched),
  };
  const returned = input.ReturnValues && input.ReturnValues !== 'NONE' ? attributes[input.ReturnValues] : undefined;
  return {
    ...(returned && Object.keys(returned).length ? { Attributes: structuredClone(returned) } : {}),
    ...consumedCapacity(table, units, input.ReturnConsumedCapacity),
  };
}
