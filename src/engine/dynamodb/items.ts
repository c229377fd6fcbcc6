/**
 * Items in a table: their keys checked against the key schema, and their place in the table's
 * partitions (one sorted list per partition-key value, searched by sort key).
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import { invalidParameter, validation } from './errors.ts';
import type { Table } from './tables.ts';
import { type AttributeValue, type Item, compareScalars, emptyMap, itemSize, typeOf } from './values.ts';

/** The partition a partition-key value falls in; capacity is metered per partition. */
export const partitionOf = (table: Table, value: AttributeValue): string => `${table.name}/${typeOf(value)}:${Object.values(value)[0] as string}`;

/** The partition of an item or a key. */
export const partitionOfKey = (table: Table, key: Item): string => partitionOf(table, key[table.hash.name] as AttributeValue);

export function rejectEmptyKey(name: string, value: AttributeValue): void {
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${name}`);
  }
}

/** The key attributes of a full item (PutItem), validated against the schema. */
export function keyOfItem(table: Table, item: Item): Item {
  const key = emptyMap<AttributeValue>();
  for (const attribute of [table.hash, table.range]) {
    if (!attribute) continue;
    const value = item[attribute.name];
    if (value === undefined) throw invalidParameter(`Missing the key ${attribute.name} in the item`);
    if (typeOf(value) !== attribute.type) throw invalidParameter(`Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${typeOf(value)}`);
    rejectEmptyKey(attribute.name, value);
    key[attribute.name] = value;
  }
  return key;
}

/** A `Key` parameter (already checked as attribute values): exactly the key attributes, of the schema's types. */
export function matchKey(table: Table, key: Item, context = 'The provided key element does not match the schema'): Item {
  const names = [table.hash.name, ...(table.range ? [table.range.name] : [])];
  const matches = Object.keys(key).length === names.length && names.every((n) => {
    const value = key[n];
    return value !== undefined && typeOf(value) === (n === table.hash.name ? table.hash.type : table.range?.type);
  });
  if (!matches) throw validation(context);
  for (const name of names) rejectEmptyKey(name, key[name] as AttributeValue);
  return key;
}

/** The same key twice in one request, once the table is known: compared by its key attributes. */
export function assertNoDuplicateKeys(table: Table, keys: Item[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    const id = JSON.stringify([key[table.hash.name], table.range ? key[table.range.name] : null]);
    if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
    seen.add(id);
  }
}

export function checkSize(item: Item, message: string): void {
  if (itemSize(item) > facts.maxItemSize.value) throw validation(message);
}

function locate(table: Table, key: Item): { items: Item[]; index: number; found: boolean; partition: string } {
  const partition = partitionOfKey(table, key);
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

export function readItem(table: Table, key: Item): Item | undefined {
  const { items, index, found } = locate(table, key);
  return found ? items[index] : undefined;
}

/** Stores `item` under `key`, or deletes what is there when `item` is undefined. */
export function writeItem(table: Table, key: Item, item: Item | undefined): void {
  const { items, index, found, partition } = locate(table, key);
  if (!table.partitions.has(partition)) table.partitions.set(partition, items);
  if (item === undefined) {
    if (found) items.splice(index, 1);
    if (items.length === 0) table.partitions.delete(partition);
  } else if (found) items[index] = item;
  else items.splice(index, 0, item);
}
