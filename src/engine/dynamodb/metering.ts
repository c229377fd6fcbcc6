/**
 * Charging requests to their tables: what a write costs, admitting a request or throttling it, and
 * the ConsumedCapacity a response reports. The accounting itself is `capacity.ts`.
 */
import { type Charge, type Refusal, writeUnits } from './capacity.ts';
import { throttled } from './errors.ts';
import type { Table } from './tables.ts';
import { type Item, itemSize } from './values.ts';

/** A write is charged for the larger of the item before and after it. */
export const writeCost = (before: Item | undefined, after: Item | undefined, transactional = false): number =>
  writeUnits(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0), transactional);

/** Charges a single-item request to its table, or throws the throttling error and counts it. */
export function admitOrThrottle(table: Table, charges: Charge[]): void {
  const refusal = table.throughput.admit(charges);
  if (refusal) {
    table.throughput.recordThrottle();
    throw throttled(table.billing.mode, [refusal], table.arn);
  }
}

/** A batch none of whose items was served is throttled as a whole, in the name of its first table. */
export function throttleIfNoneServed(tables: Table[], served: number, refusals: Refusal[]): void {
  if (served > 0) return;
  for (const table of tables) table.throughput.recordThrottle();
  const first = tables[0];
  throw throttled(first?.billing.mode ?? 'PAY_PER_REQUEST', refusals, first ? first.arn : '');
}

type ReturnConsumedCapacity = string | undefined;

const entry = (table: Table, units: number, mode: ReturnConsumedCapacity) => ({
  TableName: table.name,
  CapacityUnits: units,
  ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units } } : {}),
});

const reported = (mode: ReturnConsumedCapacity): boolean => mode === 'TOTAL' || mode === 'INDEXES';

/** The ConsumedCapacity member of a single-table response, when the request asked for it. */
export const consumedCapacity = (table: Table, units: number, mode: ReturnConsumedCapacity): Record<string, unknown> =>
  reported(mode) ? { ConsumedCapacity: entry(table, units, mode) } : {};

/** The ConsumedCapacity member of a batch response: one entry per table. */
export const batchConsumedCapacity = (consumed: { table: Table; units: number }[], mode: ReturnConsumedCapacity): Record<string, unknown> =>
  reported(mode) ? { ConsumedCapacity: consumed.map(({ table, units }) => entry(table, units, mode)) } : {};
