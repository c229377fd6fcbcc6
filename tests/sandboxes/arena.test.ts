/**
 * The arena: the side-by-side comparison the last chapter shows,
 * computed from one run per pattern.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { ARENA_PATTERNS, DEFAULT_REQUESTS_PER_MONTH, arenaRow, formatArena, runArena, type ArenaRow } from '../../src/run/arena.ts';
import { runReportSchema, type RunReport } from '../../src/run/report.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

const sandbox = loadSandbox('arena');
let rows: ArenaRow[];
let reports: RunReport[];
const row = (pattern: string) => rows.find((r) => r.pattern === pattern)!;

beforeAll(async () => {
  ({ rows, reports } = await runArena(nodeHost, sandbox));
  console.log(formatArena(rows));
}, 600_000);

describe('arena', () => {
  it('has one variant per pattern, in the order of the guide', () => {
    expect(sandbox.definition.variants.map((v) => v.id)).toEqual([...ARENA_PATTERNS]);
    for (const report of reports) expect(() => runReportSchema.parse(report)).not.toThrow();
  });


  it('ranks the patterns by database connections: pool per environment most, DynamoDB none', () => {
    expect(row('module-pool').peakDatabaseConnections).toBe(row('module-pool').maxConnections);
    for (const pattern of ['rds-proxy', 'data-api', 'sqs-batching']) expect(row(pattern).peakDatabaseConnections).toBeLessThan(row('module-pool').peakDatabaseConnections);
    expect(row('dynamodb').peakDatabaseConnections).toBe(0);
  });

  it('only the pool per environment has errors; the others answer every request', () => {
    expect(row('module-pool').errorRate).toBeGreaterThan(0.1);
    for (const pattern of ['rds-proxy', 'data-api', 'dynamodb', 'sqs-batching', 'aurora-dsql']) expect(row(pattern).errors, pattern).toBe(0);
  });

  it('Aurora DSQL runs against its own cluster: a connection per environment, under the rate and far under the quota', () => {
    const dsql = reports[ARENA_PATTERNS.indexOf('aurora-dsql')]!;
    // Only the DSQL variant's world is a cluster; the instance's max_connections parameter does not bind it.
    expect(reports.filter((report) => report.dsql).map((report) => report.variant)).toEqual(['aurora-dsql']);
    expect(dsql.dsql!.rateExceeded).toBe(0);
    expect(dsql.database.accepted).toBe(dsql.coldStarts);
    expect(row('aurora-dsql').maxConnections).toBe(10_000);
    expect(row('aurora-dsql').peakDatabaseConnections).toBe(dsql.environments.peak);
    // The same spike that overflows the instance's 200 fits the cluster: more connections than the pool per environment got, none refused.
    expect(row('aurora-dsql').peakDatabaseConnections).toBeGreaterThan(row('module-pool').maxConnections);
    expect(dsql.database.queries).toBeGreaterThanOrEqual(dsql.invocations.succeeded);
  });

  it("Aurora DSQL's thousand connections opened at once do not queue for an instance's vCPUs: each transaction has a query processor of its own", () => {
    // The pool per environment opens its 200 on the instance's two vCPUs and waits for them; a cluster
    // has no such queue, so its thousand start-ups leave it as fast as the patterns that open none.
    expect(row('aurora-dsql').p99Ms).toBeLessThan(row('module-pool').p99Ms);
    expect(row('aurora-dsql').p99Ms).toBeLessThan(row('dynamodb').p99Ms + 50);
  });

  it('prices every pattern from the cited prices, flagging the assumed ones', () => {
    for (const r of rows) expect(r.costPerMillionUsd).toBeGreaterThan(0);
    expect(row('data-api').costUsesAssumptions).toBe(true);
    expect(row('sqs-batching').costUsesAssumptions).toBe(true);
    expect(row('aurora-dsql').costUsesAssumptions).toBe(true);
    // The proxy is billed per month (on the instance's vCPUs): spread over ten times the volume, its
    // cost per million requests falls; the per-request patterns' does not move.
    const tenfold = (pattern: (typeof ARENA_PATTERNS)[number]) => arenaRow(pattern, reports[ARENA_PATTERNS.indexOf(pattern)]!, sandbox, DEFAULT_REQUESTS_PER_MONTH * 10).costPerMillionUsd;
    expect(tenfold('rds-proxy')).toBeLessThan(row('rds-proxy').costPerMillionUsd);
    for (const pattern of ['module-pool', 'data-api', 'dynamodb', 'sqs-batching', 'aurora-dsql'] as const) expect(tenfold(pattern), pattern).toBe(row(pattern).costPerMillionUsd);
  });

  it('the queue answers sooner than the Data API (it only enqueues) and drains after the spike', () => {
    expect(row('sqs-batching').drainedAtMs).not.toBeNull();
    expect(row('sqs-batching').p99Ms).toBeLessThan(row('data-api').p99Ms);
  });
});
