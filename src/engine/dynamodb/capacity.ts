/**
 * Capacity: what an operation costs in read and write units, and whether the table and the
 * partition can serve it this second.
 *
 * Throughput is metered in one-second windows of the injected clock, so the simulation can run it on
 * virtual time. Per-partition bounds apply to each partition-key value (see `partitionModel` in the
 * facts); the table bound is the provisioned capacity, or for on-demand tables the larger of a new
 * table's rate and double the peak that is at least 30 minutes old, capped by the table quota.
 * Where AWS says reads and writes share a bound (partitions, on-demand scaling), they share it here.
 * Throttled requests consume nothing and do not raise the peak.
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';

export interface Clock {
  /** Milliseconds; virtual in the simulation, wall-clock for `connlab serve`. */
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };

export type BillingMode =
  | { mode: 'PAY_PER_REQUEST' }
  | { mode: 'PROVISIONED'; readUnits: number; writeUnits: number };

export function readUnits(bytes: number, consistent: boolean, minimumOne = true): number {
  const blocks = Math.ceil(bytes / facts.readUnitBytes.value);
  return Math.max(minimumOne ? 1 : 0, blocks) * (consistent ? 1 : facts.eventuallyConsistentReadFactor.value);
}

export function writeUnits(bytes: number, transactional = false): number {
  const units = Math.max(1, Math.ceil(bytes / facts.writeUnitBytes.value));
  return transactional ? units * facts.transactionalWriteFactor.value : units;
}

/** One item's demand on one partition. */
export interface Charge {
  partition: string;
  read: number;
  write: number;
}

/**
 * Why a request was refused, in the terms of DynamoDB's `ThrottlingReason` (`Table` + operation +
 * limit, e.g. `TableWriteKeyRangeThroughputExceeded`).
 */
export interface Refusal {
  operation: 'Read' | 'Write';
  limit: 'KeyRangeThroughputExceeded' | 'ProvisionedThroughputExceeded' | 'AccountLimitExceeded';
}

export interface ThroughputTotals {
  consumedReadUnits: number;
  consumedWriteUnits: number;
  throttledRequests: number;
}

interface Window {
  second: number;
  reads: number;
  writes: number;
}

/**
 * Reads and writes draw on one capacity: a partition serves 3,000 read units, or 1,000 write units,
 * or a linear combination of both (see `sharedReadWriteCapacity`). The tolerance absorbs float sums.
 */
const overShare = (readShare: number, writeShare: number): boolean => readShare + writeShare > facts.sharedReadWriteCapacity.value + 1e-9;

export class TableThroughput {
  private readonly clock: Clock;
  private readonly billing: BillingMode;
  private current: Window;
  private partitionReads = new Map<string, number>();
  private partitionWrites = new Map<string, number>();
  /** Finished seconds whose peak does not count yet (younger than the peak window). */
  private pending: Window[] = [];
  private settledReadPeak = 0;
  private settledWritePeak = 0;
  readonly totals: ThroughputTotals = { consumedReadUnits: 0, consumedWriteUnits: 0, throttledRequests: 0 };

  constructor(clock: Clock, billing: BillingMode) {
    this.clock = clock;
    this.billing = billing;
    this.current = { second: this.secondNow(), reads: 0, writes: 0 };
  }

  /** What an on-demand table's partitions serve now, before the table quota: reads and writes alone. */
  private onDemandCapacity(): { read: number; write: number } {
    const multiplier = facts.onDemandPeakMultiplier.value;
    return {
      read: Math.max(facts.newTableReadsPerSecond.value, multiplier * this.settledReadPeak),
      write: Math.max(facts.newTableWritesPerSecond.value, multiplier * this.settledWritePeak),
    };
  }

  /** Current table ceilings in units per second, each for a second of only reads or only writes. */
  ceilings(): { read: number; write: number } {
    this.roll();
    if (this.billing.mode === 'PROVISIONED') return { read: this.billing.readUnits, write: this.billing.writeUnits };
    const capacity = this.onDemandCapacity();
    return {
      read: Math.min(facts.tableQuotaReadUnits.value, capacity.read),
      write: Math.min(facts.tableQuotaWriteUnits.value, capacity.write),
    };
  }

  /**
   * Admits all charges or none (a transaction, or one item of a batch). Returns why not when the
   * table or a partition would go over its bound this second; the caller throttles.
   */
  admit(charges: readonly Charge[]): Refusal | undefined {
    this.roll();
    const read = charges.reduce((sum, c) => sum + c.read, 0);
    const write = charges.reduce((sum, c) => sum + c.write, 0);
    const reads = this.current.reads + read;
    const writes = this.current.writes + write;
    const operation = write > 0 ? 'Write' : 'Read';
    if (this.billing.mode === 'PROVISIONED') {
      // Provisioned read and write capacity are separate settings.
      if (reads > this.billing.readUnits) return { operation: 'Read', limit: 'ProvisionedThroughputExceeded' };
      if (writes > this.billing.writeUnits) return { operation: 'Write', limit: 'ProvisionedThroughputExceeded' };
    } else {
      if (reads > facts.tableQuotaReadUnits.value) return { operation: 'Read', limit: 'AccountLimitExceeded' };
      if (writes > facts.tableQuotaWriteUnits.value) return { operation: 'Write', limit: 'AccountLimitExceeded' };
      // Past double the settled peak, on-demand has not split partitions for the traffic yet.
      const capacity = this.onDemandCapacity();
      if (overShare(reads / capacity.read, writes / capacity.write)) return { operation, limit: 'KeyRangeThroughputExceeded' };
    }
    const perPartition = new Map<string, { read: number; write: number }>();
    for (const c of charges) {
      const sum = perPartition.get(c.partition) ?? { read: 0, write: 0 };
      sum.read += c.read;
      sum.write += c.write;
      perPartition.set(c.partition, sum);
    }
    for (const [partition, sum] of perPartition) {
      const readShare = ((this.partitionReads.get(partition) ?? 0) + sum.read) / facts.partitionReadUnitsPerSecond.value;
      const writeShare = ((this.partitionWrites.get(partition) ?? 0) + sum.write) / facts.partitionWriteUnitsPerSecond.value;
      if (overShare(readShare, writeShare)) return { operation: sum.write > 0 ? 'Write' : 'Read', limit: 'KeyRangeThroughputExceeded' };
    }
    for (const [partition, sum] of perPartition) {
      if (sum.read) this.partitionReads.set(partition, (this.partitionReads.get(partition) ?? 0) + sum.read);
      if (sum.write) this.partitionWrites.set(partition, (this.partitionWrites.get(partition) ?? 0) + sum.write);
    }
    this.current.reads += read;
    this.current.writes += write;
    this.totals.consumedReadUnits += read;
    this.totals.consumedWriteUnits += write;
    return undefined;
  }

  recordThrottle(): void {
    this.totals.throttledRequests++;
  }

  private secondNow(): number {
    return Math.floor(this.clock.now() / facts.throughputWindow.value);
  }

  private roll(): void {
    const second = this.secondNow();
    if (second !== this.current.second) {
      if (this.current.reads || this.current.writes) this.pending.push(this.current);
      this.current = { second, reads: 0, writes: 0 };
      this.partitionReads = new Map();
      this.partitionWrites = new Map();
    }
    const windowSeconds = facts.onDemandPeakWindow.value / facts.throughputWindow.value;
    while (this.pending.length && (this.pending[0] as Window).second + 1 + windowSeconds <= second) {
      const settled = this.pending.shift() as Window;
      this.settledReadPeak = Math.max(this.settledReadPeak, settled.reads);
      this.settledWritePeak = Math.max(this.settledWritePeak, settled.writes);
    }
  }
}
