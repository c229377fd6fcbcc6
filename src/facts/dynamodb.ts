/**
 * DynamoDB's limits and capacity rules, as the emulator and the chapter use them (fact sheet, section F).
 */
import type { Fact } from './fact.ts';

const PARTITIONS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
const QUOTAS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html';
/** On-demand throughput and the size of a read or write unit: one page. */
const CAPACITY_MODES = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadWriteCapacityMode.html';

export const dynamodb = {
  /** Each partition serves at most 1,000 write units per second. */
  partitionWriteUnitsPerSecond: { value: 1000, unit: 'WCU/s', source: PARTITIONS, factSheet: 'F' },
  partitionReadUnitsPerSecond: { value: 3000, unit: 'RCU/s', source: PARTITIONS, factSheet: 'F' },
  /**
   * How keys map to partitions is not public: DynamoDB hashes keys into partitions it sizes and
   * splits itself. The model gives every partition-key value its own partition, the best case for a
   * well-spread key and exactly the hot-key case the chapter shows.
   */
  partitionModel: {
    value: 1,
    unit: 'partition-key values per partition',
    source: 'assumption',
    calibrate:
      'AWS does not publish the key-to-partition mapping. With a hot key, CloudWatch Contributor Insights on a real table shows the most-accessed keys; throttling at about 1,000 WCU/s on one key confirms the per-key bound.',
  },
  /** Partitions and new on-demand tables serve reads or writes "or a linear combination of both". */
  sharedReadWriteCapacity: {
    value: 1,
    unit: 'read share + write share per second',
    source: 'assumption',
    calibrate:
      'The AWS re:Post knowledge center (repost.aws/knowledge-center/on-demand-table-throttling-dynamodb) says a partition serves up to 3,000 RRU or 1,000 WRU "or a linear combination of both", and a new on-demand table 4,000 WRU or 12,000 RRU likewise; the fact sheet states the two bounds only separately.',
  },
  maxItemSize: { value: 400 * 1024, unit: 'bytes', source: QUOTAS, factSheet: 'F', note: 'Counts attribute names and values (UTF-8 bytes for strings).' },
  tableQuotaReadUnits: { value: 40_000, unit: 'RRU/s', source: QUOTAS, factSheet: 'F', note: 'Default per-table quota; it can be raised.' },
  tableQuotaWriteUnits: { value: 40_000, unit: 'WRU/s', source: QUOTAS, factSheet: 'F', note: 'Default per-table quota; it can be raised.' },
  newTableWritesPerSecond: { value: 4000, unit: 'writes/s', source: CAPACITY_MODES, factSheet: 'F', note: 'New on-demand tables sustain up to 4,000 writes/s; the model counts write request units.' },
  newTableReadsPerSecond: { value: 12_000, unit: 'reads/s', source: CAPACITY_MODES, factSheet: 'F', note: 'New on-demand tables sustain up to 12,000 reads/s; the model counts read request units.' },
  onDemandPeakMultiplier: { value: 2, unit: '× previous peak', source: CAPACITY_MODES, factSheet: 'F' },
  /**
   * "Throttling can occur if you exceed double your previous peak within 30 minutes": the model lets
   * a per-second peak raise the ceiling once it is 30 minutes old, never sooner.
   */
  onDemandPeakWindow: {
    value: 30 * 60 * 1000,
    unit: 'ms',
    source: CAPACITY_MODES,
    factSheet: 'F',
    note: 'How the peak settles inside the 30 minutes is not published; the model waits the full window (an assumption).',
  },
  readUnitBytes: { value: 4096, unit: 'bytes per read unit (strongly consistent)', source: CAPACITY_MODES, note: 'An eventually consistent read costs half; a transactional write costs double.' },
  writeUnitBytes: { value: 1024, unit: 'bytes per write unit', source: CAPACITY_MODES },
  eventuallyConsistentReadFactor: { value: 0.5, unit: '× strongly consistent cost', source: CAPACITY_MODES },
  transactionalWriteFactor: { value: 2, unit: '× standard write cost', source: CAPACITY_MODES },
  /** Throughput is counted in one-second windows of virtual time. */
  throughputWindow: {
    value: 1000,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'AWS meters per-partition and table throughput per second but does not say how the second is aligned; a sliding window would throttle slightly differently at window edges.',
  },
  batchGetMaxKeys: {
    value: 100,
    unit: 'keys per BatchGetItem',
    source: 'assumption',
    calibrate: 'Documented in the BatchGetItem API reference (not in the fact sheet); the shared vectors check it against dynalite, which enforces the same bound.',
  },
  batchWriteMaxRequests: {
    value: 25,
    unit: 'requests per BatchWriteItem',
    source: 'assumption',
    calibrate: 'Documented in the BatchWriteItem API reference (not in the fact sheet); the shared vectors check it against dynalite.',
  },
  transactMaxItems: {
    value: 100,
    unit: 'actions per TransactWriteItems',
    source: 'assumption',
    calibrate: 'The TransactWriteItems API reference gives 100 (it was 25 before September 2022); dynalite does not implement transactions, so no vector checks it.',
  },
  queryPageBytes: { value: 1024 * 1024, unit: 'bytes read per Query page', source: 'assumption', calibrate: 'The Query API reference says a page stops at 1 MB of data read; not in the fact sheet.' },
  tableStatisticsRefresh: {
    value: 6 * 60 * 60 * 1000,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'The DescribeTable API reference says ItemCount and TableSizeBytes are updated "approximately every six hours"; not in the fact sheet. Watch ItemCount on a real table after a burst of writes.',
  },
  maxRequestBytes: {
    value: 16 * 1024 * 1024,
    unit: 'bytes per HTTP request',
    source: 'assumption',
    calibrate: 'The HTTP body limit of `connlab serve`; DynamoDB documents a 16 MB cap on BatchWriteItem requests (API reference, not in the fact sheet), and dynalite uses the same bound.',
  },
  requestLatency: {
    value: 5,
    unit: 'ms per request (service side, same Region)',
    source: 'assumption',
    calibrate: 'AWS describes DynamoDB as single-digit-millisecond at any scale but publishes no distribution; measure the SuccessfulRequestLatency metric (CloudWatch, AWS/DynamoDB) of a real table for the operations you use.',
  },
  transactionTokenWindow: {
    value: 10 * 60 * 1000,
    unit: 'ms a ClientRequestToken stays valid',
    source: 'assumption',
    calibrate: 'The TransactWriteItems API reference: a token is valid for 10 minutes after the first request that uses it completes; not in the fact sheet.',
  },
} as const satisfies Record<string, Fact>;
