/**
 * One arena run reduced to the four numbers the comparison chapter puts side by side: peak database
 * connections, errors, p99 latency, and cost per million requests from the cited prices
 * (src/engine/cost). No engine imports: the page's sandbox uses it to add the cost row.
 */
import { costPerMillionRequests, type Pattern, type Scenario } from '../engine/cost/index.ts';
import { findInstanceClass } from '../facts/postgres.ts';
import type { SandboxSource } from '../sandboxes/schema.ts';
import type { RunReport } from './report.ts';

/** The arena's variants, in the order the guide introduces the patterns. */
export const ARENA_PATTERNS = ['module-pool', 'rds-proxy', 'data-api', 'dynamodb', 'sqs-batching', 'aurora-dsql'] as const satisfies readonly Pattern[];
export type ArenaPattern = (typeof ARENA_PATTERNS)[number];

export interface ArenaRow {
  pattern: ArenaPattern;
  peakDatabaseConnections: number;
  maxConnections: number;
  requests: number;
  /** Failed or throttled requests (the producer's, for SQS). */
  errors: number;
  errorRate: number;
  p99Ms: number;
  p50Ms: number;
  costPerMillionUsd: number;
  /** True when a price in the cost is an assumption (Lambda's, the Data API's, SQS's, DSQL's DPUs per write). */
  costUsesAssumptions: boolean;
  /** SQS only: when the consumer had stored everything, virtual ms. */
  drainedAtMs: number | null;
}

export interface ArenaOptions {
  parameters?: Readonly<Record<string, number | string>>;
  /** Monthly volume that fixed monthly charges (RDS Proxy) are spread over. */
  requestsPerMonth?: number;
  seed?: number;
}

export const DEFAULT_REQUESTS_PER_MONTH = 10_000_000;

/** One row from one run. The billed duration is the run's median latency (an approximation, said in the chapter). */
export function arenaRow(pattern: ArenaPattern, report: RunReport, sandbox: SandboxSource, requestsPerMonth = DEFAULT_REQUESTS_PER_MONTH): ArenaRow {
  const config = sandbox.definition;
  const instance = findInstanceClass(report.database.instanceClass);
  const scenario: Scenario = {
    requestsPerMonth,
    lambda: { memoryMb: config.lambda.memoryMb, durationMs: Math.max(1, Math.round(report.latencyMs.p50)) },
    ...(instance ? { proxyTarget: { kind: 'instance', vcpus: instance.vcpus } } : {}),
    dataApi: { callsPerRequest: 1 },
    dynamodb: { readsPerRequest: 0, writesPerRequest: 1, itemBytes: 100, consistentReads: false },
    sqs: { batchSize: config.sqs?.eventSourceMapping.batchSize ?? 10, consumerDurationMs: 50 },
    dsql: { writesPerRequest: 1, rowBytes: 100 },
  };
  const cost = costPerMillionRequests(pattern, scenario);
  const requests = report.invocations.total;
  const errors = report.invocations.failed + report.invocations.throttled;
  return {
    pattern,
    peakDatabaseConnections: report.database.peakConnections,
    maxConnections: report.database.maxConnections,
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    p99Ms: report.latencyMs.p99,
    p50Ms: report.latencyMs.p50,
    costPerMillionUsd: Math.round(cost.usd * 100) / 100,
    costUsesAssumptions: cost.usesAssumptions,
    drainedAtMs: report.sqs?.drainedAtMs ?? null,
  };
}

/** The comparison as a plain-text table (the CLI and the chapter's figures). */
export function formatArena(rows: readonly ArenaRow[]): string {
  const header = ['pattern', 'peak DB conns', 'errors', 'p99 ms', '$/M requests'];
  const lines = rows.map((r) => [r.pattern, `${r.peakDatabaseConnections} / ${r.maxConnections}`, `${r.errors} of ${r.requests} (${(r.errorRate * 100).toFixed(1)} %)`, r.p99Ms.toFixed(1), `${r.costPerMillionUsd.toFixed(2)}${r.costUsesAssumptions ? '*' : ''}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [row(header), ...lines.map(row), '* the cost uses at least one assumed price (src/facts/pricing.ts: Lambda, Data API and SQS are not in the fact sheet; src/facts/aurora-dsql.ts: the DPUs a write uses)'].join('\n');
}
