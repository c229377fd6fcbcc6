/**
 * What a pattern costs, from the cited prices in `src/facts/pricing.ts`: the RDS Proxy's monthly
 * charge, and the cost per million requests of a scenario under each of the seven patterns (a
 * connection per invocation, and the arena's six).
 *
 * Pure functions. Every line of a result names the price it used, so the page can show the source
 * and flag assumptions. The database itself (an RDS or Aurora instance) is not priced here: its
 * price is not in the fact sheet, so a scenario may pass its monthly cost in, and it is then spread
 * over the month's requests for every pattern that uses it.
 */
import * as z from 'zod/mini';
import { pricing } from '../../facts/pricing.ts';
import { dynamodb } from '../../facts/dynamodb.ts';
import { dsqlAssumedWorkload, dsqlPricing } from '../../facts/aurora-dsql.ts';
import { finish, proxyCost, type Cost, type CostLine, type Prices, type ProxyCost } from './proxy.ts';

export { proxyCost, type Cost, type CostLine, type Prices, type ProxyCost } from './proxy.ts';

export const PATTERNS = ['connection-per-invocation', 'module-pool', 'rds-proxy', 'data-api', 'dynamodb', 'sqs-batching', 'aurora-dsql'] as const;
export type Pattern = (typeof PATTERNS)[number];

// ---------------------------------------------------------------------------------------------
// RDS Proxy

const positive = z.number().check(z.positive());
const nonnegative = z.number().check(z.nonnegative());

export const ProxyTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('instance'),
    /** vCPUs of one DB instance behind the proxy. */
    vcpus: positive,
    /** Writer plus readers registered with the proxy. */
    instances: z._default(z.int().check(z.positive()), 1),
  }),
  z.object({
    kind: z.literal('serverless-v2'),
    /** Average ACUs the Aurora Serverless v2 cluster runs at over the month. */
    acus: positive,
  }),
]);
export type ProxyTarget = z.input<typeof ProxyTarget>;

/** RDS Proxy is billed on the capacity of the database behind it, with a floor (fact sheet A8). */
export function monthlyProxyCost(target: ProxyTarget, prices: Prices = pricing): ProxyCost {
  return proxyCost(ProxyTarget.parse(target), prices);
}

// ---------------------------------------------------------------------------------------------
// Cost per million requests

export const Scenario = z.object({
  /** Requests the function serves in a month. */
  requestsPerMonth: positive,
  lambda: z.object({
    /** Function memory in MB. */
    memoryMb: z.int().check(z.gte(128), z.lte(10_240)),
    /** Average billed duration of one invocation in ms. */
    durationMs: nonnegative,
    /** Per-pattern durations, e.g. a longer one for connection-per-invocation (it opens a connection each time). */
    durationMsByPattern: z.optional(z.partialRecord(z.enum(PATTERNS), nonnegative)),
  }),
  /** Monthly cost of the RDS/Aurora database, if the reader wants it in the comparison (not in the fact sheet). */
  databaseMonthlyUsd: z._default(nonnegative, 0),
  /** The database an RDS Proxy would front; needed for the rds-proxy pattern. */
  proxyTarget: z.optional(ProxyTarget),
  dataApi: z._default(z.object({ callsPerRequest: z._default(nonnegative, 1) }), { callsPerRequest: 1 }),
  dynamodb: z._default(
    z.object({
      readsPerRequest: z._default(nonnegative, 1),
      writesPerRequest: z._default(nonnegative, 1),
      itemBytes: z._default(positive, 1024),
      consistentReads: z._default(z.boolean(), false),
    }),
    { readsPerRequest: 1, writesPerRequest: 1, itemBytes: 1024, consistentReads: false },
  ),
  sqs: z._default(
    z.object({
      batchSize: z._default(z.int().check(z.gte(1), z.lte(10_000)), 10),
      consumerDurationMs: z._default(nonnegative, 100),
    }),
    { batchSize: 10, consumerDurationMs: 100 },
  ),
  /** Aurora DSQL: single-row writes per request, and the bytes each row adds to storage (assumed when not given: src/facts/aurora-dsql.ts). */
  dsql: z._default(
    z.object({
      writesPerRequest: z._default(nonnegative, dsqlAssumedWorkload.writesPerRequest.value),
      rowBytes: z._default(positive, dsqlAssumedWorkload.rowBytes.value),
    }),
    { writesPerRequest: dsqlAssumedWorkload.writesPerRequest.value, rowBytes: dsqlAssumedWorkload.rowBytes.value },
  ),
});
export type Scenario = z.input<typeof Scenario>;

const MILLION = 1_000_000;
/** DSQL meters storage in GiB-months (src/facts/aurora-dsql.ts). */
const GIB = 2 ** 30;

export function costPerMillionRequests(pattern: Pattern, scenario: Scenario, prices: Prices = pricing): Cost {
  const s = Scenario.parse(scenario);
  const duration = s.lambda.durationMsByPattern?.[pattern] ?? s.lambda.durationMs;
  const gbSeconds = (ms: number) => (ms / 1000) * (s.lambda.memoryMb / 1024);
  const lambdaLines = (label: string, invocations: number, ms: number): CostLine[] => [
    { label: `${label}: invocations`, usd: (invocations / MILLION) * prices.lambdaPerMillionRequests.value, prices: [prices.lambdaPerMillionRequests] },
    { label: `${label}: duration (${ms} ms × ${s.lambda.memoryMb} MB)`, usd: invocations * gbSeconds(ms) * prices.lambdaPerGbSecond.value, prices: [prices.lambdaPerGbSecond] },
  ];
  const perMillion = MILLION;
  /** A monthly charge's share of one million requests. */
  const share = (monthlyUsd: number) => (monthlyUsd / s.requestsPerMonth) * perMillion;
  const database: CostLine[] = s.databaseMonthlyUsd > 0 ? [{ label: 'Database (given by the scenario)', usd: share(s.databaseMonthlyUsd), prices: [] }] : [];

  switch (pattern) {
    case 'connection-per-invocation':
    case 'module-pool':
      return finish([...lambdaLines('Lambda', perMillion, duration), ...database]);
    case 'rds-proxy': {
      if (!s.proxyTarget) throw new Error('the rds-proxy pattern needs scenario.proxyTarget (the database the proxy fronts)');
      const proxy = monthlyProxyCost(s.proxyTarget, prices);
      return finish([
        ...lambdaLines('Lambda', perMillion, duration),
        { label: `${proxy.lines[0]?.label ?? 'RDS Proxy'}, spread over ${s.requestsPerMonth.toLocaleString('en-US')} requests`, usd: share(proxy.usd), prices: proxy.lines.flatMap((l) => l.prices) },
        ...database,
      ]);
    }
    case 'data-api':
      return finish([
        ...lambdaLines('Lambda', perMillion, duration),
        { label: `Data API: ${s.dataApi.callsPerRequest} call(s) per request`, usd: s.dataApi.callsPerRequest * prices.dataApiPerMillionRequests.value, prices: [prices.dataApiPerMillionRequests] },
        ...database,
      ]);
    case 'dynamodb': {
      const { readsPerRequest, writesPerRequest, itemBytes, consistentReads } = s.dynamodb;
      // Request units follow the same rounding as capacity units: 1 KB per write, 4 KB per read.
      const writeUnits = Math.ceil(itemBytes / dynamodb.writeUnitBytes.value);
      const readUnits = Math.ceil(itemBytes / dynamodb.readUnitBytes.value) * (consistentReads ? 1 : dynamodb.eventuallyConsistentReadFactor.value);
      return finish([
        ...lambdaLines('Lambda', perMillion, duration),
        { label: `DynamoDB: ${writesPerRequest} write(s) × ${writeUnits} WRU`, usd: writesPerRequest * writeUnits * prices.dynamodbPerMillionWriteUnits.value, prices: [prices.dynamodbPerMillionWriteUnits, dynamodb.writeUnitBytes] },
        { label: `DynamoDB: ${readsPerRequest} read(s) × ${readUnits} RRU`, usd: readsPerRequest * readUnits * prices.dynamodbPerMillionReadUnits.value, prices: [prices.dynamodbPerMillionReadUnits, dynamodb.readUnitBytes] },
      ]);
    }
    case 'sqs-batching': {
      const batches = perMillion / s.sqs.batchSize;
      // One SendMessage per request; per batch one ReceiveMessage and one DeleteMessageBatch.
      // Empty polls of an idle queue are not counted (they depend on traffic gaps).
      const sqsRequests = perMillion + 2 * batches;
      return finish([
        ...lambdaLines('Producer Lambda', perMillion, duration),
        { label: `SQS: ${sqsRequests.toLocaleString('en-US')} requests (send, receive, delete)`, usd: (sqsRequests / MILLION) * prices.sqsPerMillionRequests.value, prices: [prices.sqsPerMillionRequests] },
        ...lambdaLines(`Consumer Lambda (batches of ${s.sqs.batchSize})`, batches, s.sqs.consumerDurationMs),
        ...database,
      ]);
    }
    case 'aurora-dsql': {
      // No instance: the cluster bills the work (DPUs) and what it stores. The rows a million requests
      // write are priced for one month of storage.
      const { writesPerRequest, rowBytes } = s.dsql;
      const dpus = perMillion * writesPerRequest * dsqlPricing.dpusPerSingleRowWrite.value;
      const storedGb = (perMillion * writesPerRequest * rowBytes) / GIB;
      // A figure the scenario leaves out is the assumed one, and its line says so.
      const assumed = (key: keyof typeof dsqlAssumedWorkload) => (scenario.dsql?.[key] === undefined ? [dsqlAssumedWorkload[key]] : []);
      return finish([
        ...lambdaLines('Lambda', perMillion, duration),
        { label: `Aurora DSQL: ${writesPerRequest} single-row write(s) × ${dsqlPricing.dpusPerSingleRowWrite.value} DPU`, usd: (dpus / MILLION) * prices.dsqlPerMillionDpus.value, prices: [prices.dsqlPerMillionDpus, dsqlPricing.dpusPerSingleRowWrite, ...assumed('writesPerRequest')] },
        { label: `Aurora DSQL: a month's storage of the rows written (${rowBytes} bytes each)`, usd: storedGb * prices.dsqlPerGbMonth.value, prices: [prices.dsqlPerGbMonth, ...assumed('rowBytes')] },
      ]);
    }
  }
}

/** The month's bill for a pattern: the per-million cost scaled to the scenario's traffic. */
export function monthlyCost(pattern: Pattern, scenario: Scenario, prices: Prices = pricing): Cost {
  const perMillion = costPerMillionRequests(pattern, scenario, prices);
  const scale = Scenario.parse(scenario).requestsPerMonth / MILLION;
  return finish(perMillion.lines.map((line) => ({ ...line, usd: line.usd * scale })));
}

/** Every pattern side by side, cheapest first; the proxy only when the scenario names its database. */
export function compareCosts(scenario: Scenario, prices: Prices = pricing): { pattern: Pattern; perMillion: Cost; monthly: Cost }[] {
  return PATTERNS.filter((pattern) => pattern !== 'rds-proxy' || scenario.proxyTarget !== undefined)
    .map((pattern) => ({ pattern, perMillion: costPerMillionRequests(pattern, scenario, prices), monthly: monthlyCost(pattern, scenario, prices) }))
    .sort((a, b) => a.perMillion.usd - b.perMillion.usd);
}
