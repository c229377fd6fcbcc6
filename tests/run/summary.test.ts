/**
 * The summary model the page and `connlab simulate` both render, built from real RunReports: the
 * recordings in tests/sandboxes/recorded/ and fresh runs on the engine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/engine/host/host.node.ts';
import { ensureLockdown } from '../../src/engine/lambda/isolation.ts';
import { runReportSchema, type RunReport } from '../../src/run/report.ts';
import { runSandbox } from '../../src/run/run.ts';
import { compareSummaries, summarizeRun, summaryText, type RunSummary } from '../../src/run/summary.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

/** A recorded report; recordings leave out wallMs, the one field that varies between identical runs. */
const recorded = (path: string): RunReport =>
  runReportSchema.parse({ ...JSON.parse(readFileSync(new URL(`../sandboxes/recorded/${path}.json`, import.meta.url), 'utf8')), wallMs: 0 });
const services = (summary: RunSummary) => summary.sections.map((section) => section.service);
const row = (summary: RunSummary, label: string) => summary.sections.flatMap((section) => section.rows).find((candidate) => candidate.label === label);

const ARENA = ['pool-per-environment-overflows', 'proxy-multiplexes', 'data-api-bounded', 'dynamodb-no-connections', 'sqs-bounded'] as const;
const ARENA_LABELS = ['Pool per environment', 'RDS Proxy', 'Data API', 'DynamoDB', 'SQS + bounded consumer'];

describe('summarizeRun', () => {
  it('has sections only for the services the run used, though the arena\'s report carries every service', () => {
    const reports = ARENA.map((name) => recorded(`arena/${name}`));
    for (const report of reports) expect(report.proxy && report.dataApi && report.dynamodb && report.sqs).toBeTruthy();
    expect(reports.map((report, index) => services(summarizeRun(report, ARENA_LABELS[index]!)))).toEqual([
      ['lambda', 'database'],
      ['lambda', 'database', 'proxy'],
      ['lambda', 'database', 'dataApi'],
      ['lambda', 'dynamodb'],
      ['lambda', 'database', 'sqs'],
    ]);
  });

  it('names every row\'s service, the section it sits in', () => {
    const summary = summarizeRun(recorded('proxy-pinning/pins-climb-to-cap'), 'SET (pins)');
    for (const section of summary.sections) for (const each of section.rows) expect(each.service).toBe(section.service);
    expect(row(summary, 'Pinning')?.value).toBe('21 sessions pinned: 230 × SET (session parameter)');
    expect(row(summary, 'Proxy database connections (peak)')?.value).toBe('21 of 21 allowed; 21 borrowed, 21 pinned');
  });

  it('is headed by the variant\'s label, marked when the reader\'s code ran', () => {
    const report = recorded('arena/proxy-multiplexes');
    expect(summarizeRun(report, 'RDS Proxy').label).toBe('RDS Proxy');
    expect(summarizeRun({ ...report, edited: true }, 'RDS Proxy').label).toBe('RDS Proxy, edited');
  });

  it('counts DynamoDB\'s throttles where "Throttled" is shown, not only Lambda\'s', () => {
    const report = recorded('dynamodb/hot-key-throttles');
    expect(report.invocations.throttled).toBe(0);
    expect(row(summarizeRun(report, 'Hot key'), 'Throttled')?.value).toBe('520: 520 DynamoDB requests');
    // With Lambda's own throttles too, both are counted and named.
    const both = { ...report, invocations: { ...report.invocations, throttled: 3 } };
    expect(row(summarizeRun(both, 'Hot key'), 'Throttled')?.value).toBe('523: 3 Lambda invocations, 520 DynamoDB requests');
    expect(row(summarizeRun(recorded('direct-connection/most-fail-53300'), 'Client per invocation'), 'Throttled')?.value).toBe('0');
  });

  it('says when the queue drained, and says "not drained" only with messages left', async () => {
    expect(row(summarizeRun(recorded('sqs-batching/drains-after-the-spike'), 'Queued'), 'Queue')?.value).toBe('drained at 6.9 s');
    // Two batches of one message at a time, five seconds each: most of the spike is still queued at the end.
    const report = await runSandbox(nodeHost, {
      sandbox: loadSandbox('sqs-batching'),
      variant: 'queued',
      parameters: { concurrency: 40, maximumConcurrency: 2, batchSize: 1, batchWorkMs: 5000 },
    });
    expect(report.sqs!.depthAtEnd).toBeGreaterThan(0);
    expect(row(summarizeRun(report, 'Queued'), 'Queue')?.value).toBe(`not drained: ${report.sqs!.depthAtEnd} messages left`);
  }, 120_000);

  it('shows no latency for a run where nothing succeeded, rather than 0 ms', () => {
    const failed = summarizeRun(recorded('data-api/one-mib-limit'), 'Export in one call');
    expect(row(failed, 'Latency p50 / p95 / p99')?.value).toBe('none succeeded');
    const paged = summarizeRun(recorded('data-api/pages-fit'), 'Export in pages');
    expect(row(paged, 'Latency p50 / p95 / p99')?.value).toMatch(/^[\d,.]+ ms \/ [\d,.]+ ms \/ [\d,.]+ ms$/);
  });

  it('notes what "nominal" means only when the run used the database and its max_connections is nominal', () => {
    expect(summarizeRun(recorded('direct-connection/most-fail-53300'), 'x').notes).toHaveLength(1);
    expect(summarizeRun(recorded('direct-connection/your-max-connections'), 'x').notes).toEqual([]);
    expect(summarizeRun(recorded('dynamodb/hot-key-throttles'), 'x').notes).toEqual([]);
  });
});

describe('summarizeRun: timeouts, billing, failover and shutdown (sandboxes with detailedReport)', () => {
  it('shows the function timeouts, the peak against the limit and the billed duration of a run that hung', () => {
    const before = summarizeRun(recorded('connect-timeout/hangs-until-function-timeout'), 'before');
    const after = summarizeRun(recorded('connect-timeout/fails-fast'), 'after');
    expect(row(before, 'Timed out (function timeout)')?.value).toBe('200');
    expect(row(before, 'Peak concurrent executions')?.value).toMatch(/^100 of 100, at \d+ s$/);
    // 1,410 invocations ran (2,429 less 1,019 throttled): 6,062,221 ms billed.
    expect(row(before, 'Billed duration')?.value).toBe('6,062.2 s, 4,299.4 ms per invocation that ran');
    expect(row(after, 'Timed out (function timeout)')?.value).toBe('0');
    expect(row(after, 'Billed duration')?.value).toBe('1,751.1 s, 726.3 ms per invocation that ran');
    expect(row(after, 'Unavailable (failover)')?.value).toBe('20 s to 60 s: 6 open connections reset, 835 start-up packets never answered');
  });

  it('shows SIGTERMs and how connections closed', () => {
    const summary = summarizeRun(recorded('graceful-shutdown/sigterm-closes-the-pool'), 'after');
    expect(row(summary, 'SIGTERM before reclaim')?.value).toBe('42');
    expect(row(summary, 'Connections closed, by reason')?.value).toBe('42 terminate, 34 client-fin');
    expect(row(summary, 'Unavailable (failover)')).toBeUndefined();
  });

  it('adds none of these rows for a sandbox without the detailed report', () => {
    const summary = summarizeRun(recorded('zombie-connections/connections-outlive-environments'), 'x');
    for (const label of ['Timed out (function timeout)', 'SIGTERM before reclaim', 'Billed duration', 'Connections closed, by reason', 'Unavailable (failover)']) expect(row(summary, label)).toBeUndefined();
  });
});

describe('compareSummaries', () => {
  it('lines the arena\'s five runs up by row, leaving a cell empty where a run did not use the service', () => {
    const comparison = compareSummaries(ARENA.map((name, index) => summarizeRun(recorded(`arena/${name}`), ARENA_LABELS[index]!)));
    expect(comparison.labels).toEqual(ARENA_LABELS);
    expect(comparison.sections.map((section) => section.service)).toEqual(['lambda', 'database', 'proxy', 'dataApi', 'dynamodb', 'sqs']);
    const cells = (label: string) => comparison.sections.flatMap((section) => section.rows).find((each) => each.label === label)!.values;
    expect(cells('Peak database connections')).toEqual(['200 of max_connections 200, at 0 s', expect.stringMatching(/ of max_connections 200/), expect.stringMatching(/ of max_connections 200/), undefined, expect.stringMatching(/ of max_connections 200/)]);
    expect(cells('Client connections (peak)').map((value) => value !== undefined)).toEqual([false, true, false, false, false]);
    expect(cells('Queue')).toEqual([undefined, undefined, undefined, undefined, 'drained at 2.5 s']);
  });
});

describe('summaryText', () => {
  it('prints the sections as headed, aligned rows and the errors with PostgreSQL\'s exact messages', () => {
    // The CLI formats after its run locked the realm down, which makes toLocaleString ignore 'en-US'.
    ensureLockdown();
    const text = summaryText(summarizeRun(recorded('direct-connection/most-fail-53300'), 'Client per invocation'));
    expect(text).toMatch(/^Database \(RDS for PostgreSQL\)\n {2}Instance +db\.t3\.micro, 2 vCPUs, PostgreSQL 18$/m);
    expect(text).toMatch(/^ {2}Peak database connections +112 of max_connections 112 \(nominal\), at 0 s$/m);
    expect(text).toMatch(/^ {2}1,725 {2}53300 {2}remaining connection slots are reserved for roles with the SUPERUSER attribute$/m);
    expect(text).toMatch(/^ {4}729 {2}53300 {2}sorry, too many clients already$/m);
    expect(text).toContain('Nominal: the formula');
  });
});
