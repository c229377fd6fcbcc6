/**
 * BatchGetItem and BatchWriteItem: every request is checked before any table is touched, then
 * each item is charged on its own; the ones refused come back as unprocessed, ready to resend. Only
 * a batch none of whose items was served is throttled as a whole.
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { type Refusal, readUnits } from './capacity.ts';
import { validation } from './errors.ts';
import { assertNoDuplicateKeys, checkSize, keyOfItem, matchKey, partitionOfKey, readItem, writeItem } from './items.ts';
import { batchConsumedCapacity, throttleIfNoneServed, writeCost } from './metering.ts';
import { readProjection } from './request-expressions.ts';
import { type Input, rejectOutsideSubset } from './requests.ts';
import type { Table, TableStore } from './tables.ts';
import { type Item, checkItem, emptyMap, itemSize } from './values.ts';

const NO_REQUEST_ITEMS = "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1";

export function batchGetItem(tables: TableStore, input: Input<'BatchGetItem'>): Record<string, unknown> {
  const requests = Object.entries(input.RequestItems);
  if (requests.length === 0) throw validation(NO_REQUEST_ITEMS);
  const total = requests.reduce((sum, [, r]) => sum + r.Keys.length, 0);
  if (total > facts.batchGetMaxKeys.value) throw validation('Too many items requested for the BatchGetItem call');
  for (const [, request] of requests) rejectOutsideSubset(request);
  const checked = requests.map(([name, request]) => {
    const keys = request.Keys.map((k) => checkItem(k, 'Key'));
    assertNoDuplicates(keys);
    return { name, request, keys, project: readProjection(request) };
  });
  const plans = checked.map(({ name, request, keys, project }) => {
    const table = tables.get(name);
    const matched = keys.map((k) => matchKey(table, k));
    return { table, keys: matched, consistent: request.ConsistentRead === true, project, request };
  });
  const responses = emptyMap<Item[]>();
  const refusals: Refusal[] = [];
  const unprocessed = emptyMap<Record<string, unknown> & { Keys: Item[] }>();
  const consumed: { table: Table; units: number }[] = [];
  let served = 0;
  for (const { table, keys, consistent, project, request } of plans) {
    responses[table.name] = [];
    let units = 0;
    for (const key of keys) {
      const item = readItem(table, key);
      const cost = readUnits(item ? itemSize(item) : 0, consistent);
      const refusal = table.throughput.admit([{ partition: partitionOfKey(table, key), read: cost, write: 0 }]);
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
    consumed.push({ table, units });
  }
  throttleIfNoneServed(plans.map((p) => p.table), served, refusals);
  return { Responses: responses, UnprocessedKeys: unprocessed, ...batchConsumedCapacity(consumed, input.ReturnConsumedCapacity) };
}

type WriteRequest = Input<'BatchWriteItem'>['RequestItems'][string][number];

export function batchWriteItem(tables: TableStore, input: Input<'BatchWriteItem'>): Record<string, unknown> {
  const requests = Object.entries(input.RequestItems);
  if (requests.length === 0) throw validation(NO_REQUEST_ITEMS);
  const total = requests.reduce((sum, [, r]) => sum + r.length, 0);
  if (total > facts.batchWriteMaxRequests.value) throw validation('Too many items requested for the BatchWriteItem call');
  const checked = requests.map(([name, writes]) => ({
    name,
    writes: writes.map((raw) => {
      if ((raw.PutRequest === undefined) === (raw.DeleteRequest === undefined)) {
        throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      if (raw.PutRequest) {
        const item = checkItem(raw.PutRequest.Item, 'Item');
        checkSize(item, 'Item size has exceeded the maximum allowed size');
        return { raw, item, key: undefined };
      }
      return { raw, item: undefined, key: checkItem((raw.DeleteRequest as { Key: Record<string, unknown> }).Key, 'Key') };
    }),
  }));
  const plans = checked.map(({ name, writes }) => {
    const table = tables.get(name);
    const planned: { raw: WriteRequest; key: Item; item: Item | undefined }[] = writes.map(({ raw, item, key }) => {
      if (!item) return { raw, key: matchKey(table, key as Item), item };
      try {
        return { raw, key: keyOfItem(table, item), item };
      } catch {
        // BatchWriteItem words a missing or mistyped key like a bad Key parameter.
        throw validation('The provided key element does not match the schema');
      }
    });
    assertNoDuplicateKeys(table, planned.map((p) => p.key));
    return { table, planned };
  });
  const unprocessed = emptyMap<WriteRequest[]>();
  const refusals: Refusal[] = [];
  const consumed: { table: Table; units: number }[] = [];
  let served = 0;
  for (const { table, planned } of plans) {
    let units = 0;
    for (const { raw, key, item } of planned) {
      const cost = writeCost(readItem(table, key), item);
      const refusal = table.throughput.admit([{ partition: partitionOfKey(table, key), read: 0, write: cost }]);
      if (refusal) {
        refusals.push(refusal);
        (unprocessed[table.name] ??= []).push(raw);
        continue;
      }
      served++;
      units += cost;
      writeItem(table, key, item);
    }
    consumed.push({ table, units });
  }
  throttleIfNoneServed(plans.map((p) => p.table), served, refusals);
  return { UnprocessedItems: unprocessed, ...batchConsumedCapacity(consumed, input.ReturnConsumedCapacity) };
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
