/**
 * The summary of a run: what the page's table and `connlab simulate` both show, built once from a
 * RunReport. Rows come in sections, one per service the run used (a service a sandbox defines but
 * the variant never called has no rows), each row with its label, its value as text and its service.
 * Pure: no DOM, no formatting of the layout; the page renders a table, the CLI aligned text.
 */
import type { RunReport } from './report.ts';
import { formatNumber } from '../lib/format-number.ts';

export type SummaryService = 'lambda' | 'database' | 'dsql' | 'proxy' | 'dataApi' | 'dynamodb' | 'sqs' | 'secretsManager';

export interface SummaryRow {
  label: string;
  /** The figure as a reader reads it, units included ("12.5 ms", "107 of max_connections 112"). */
  value: string;
  service: SummaryService;
}

export interface SummarySection {
  service: SummaryService;
  title: string;
  rows: SummaryRow[];
}

export interface RunSummary {
  /** The variant's label (not its id), ", edited" when the reader's code ran: the column header. */
  label: string;
  sections: SummarySection[];
  errors: RunReport['errors'];
  /** Notes under the table, e.g. what "nominal" means; empty when none applies. */
  notes: string[];
}

/** The order sections appear in, and their titles. */
export const SERVICE_TITLES: Readonly<Record<SummaryService, string>> = {
  lambda: 'Lambda',
  database: 'Database (RDS for PostgreSQL)',
  dsql: 'Aurora DSQL',
  proxy: 'RDS Proxy',
  dataApi: 'Data API',
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  secretsManager: 'Secrets Manager',
};
const SERVICES = Object.keys(SERVICE_TITLES) as SummaryService[];

export const NOMINAL_NOTE =
  'Nominal: the formula on the instance class\'s nominal memory. A real instance reports less (SHOW max_connections); give a sandbox yours with its maxConnections parameter.';

export { formatNumber };
const n = formatNumber;
const ms = (value: number) => `${n(value, 1)} ms`;
const seconds = (milliseconds: number) => `${n(milliseconds / 1000, 1).replace(/\.0$/, '')} s`;
const share = (part: number, total: number) => (total ? ` (${((100 * part) / total).toFixed(1)} %)` : '');
const byCount = (record: Record<string, number>) =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${n(count)} ${name}`)
    .join(', ');
const plural = (count: number, one: string, many: string) => `${n(count)} ${count === 1 ? one : many}`;

/** The peak of a per-second series and the second it was first reached. */
function peakAt(values: readonly number[]): { peak: number; second: number } {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return { peak: values[best] ?? 0, second: best };
}

/**
 * Which services the run used. A sandbox's report carries every service the sandbox defines (the
 * arena defines them all), so presence is not use: a service is used when something reached it.
 */
export function servicesUsed(report: RunReport): Set<SummaryService> {
  const used = new Set<SummaryService>(['lambda']);
  const { database: db, dsql, proxy, dataApi, dynamodb, sqs, secretsManager } = report;
  // A DSQL cluster is served by the same virtual server, but it has no instance to describe.
  if (dsql) used.add('dsql');
  else if (db.accepted + db.queries + db.rejectedTooManyClients + db.rejectedReservedSlots + db.authFailures + db.sessionWaitFailures > 0) used.add('database');
  if (proxy && proxy.peakClientConnections + proxy.clientConnectionsSetupFailedAuth + proxy.borrows > 0) used.add('proxy');
  if (dataApi && dataApi.requests > 0) used.add('dataApi');
  if (dynamodb && (dynamodb.throttledRequests > 0 || Object.values(dynamodb.tables).some((t) => t.consumedReadUnits + t.consumedWriteUnits > 0))) used.add('dynamodb');
  if (sqs && sqs.sent + sqs.batches > 0) used.add('sqs');
  if (secretsManager && (secretsManager.requests > 0 || secretsManager.rotation)) used.add('secretsManager');
  return used;
}

/** Throttles of every service the run used: Lambda's own, DynamoDB's requests, the SQS consumer's. */
export function throttles(report: RunReport): { total: number; parts: Array<{ service: SummaryService; count: number; text: string }> } {
  const parts: Array<{ service: SummaryService; count: number; text: string }> = [];
  const add = (service: SummaryService, count: number, one: string, many: string) => {
    if (count > 0) parts.push({ service, count, text: plural(count, one, many) });
  };
  add('lambda', report.invocations.throttled, 'Lambda invocation', 'Lambda invocations');
  if (report.dynamodb) add('dynamodb', report.dynamodb.throttledRequests, 'DynamoDB request', 'DynamoDB requests');
  if (report.sqs) add('sqs', report.sqs.consumer.throttled, 'SQS consumer invocation', 'SQS consumer invocations');
  return { total: parts.reduce((sum, part) => sum + part.count, 0), parts };
}

function lambdaRows(report: RunReport): Array<[string, string]> {
  const i = report.invocations;
  const t = throttles(report);
  const concurrency = peakAt(report.series.ConcurrentExecutions);
  return [
    ['Invocations', `${n(i.total)}${i.inFlightAtEnd ? ` (${n(i.inFlightAtEnd)} still running at the end)` : ''}`],
    ['Succeeded', `${n(i.succeeded)}${share(i.succeeded, i.total)}`],
    ['Failed', `${n(i.failed)}${share(i.failed, i.total)}`],
    // DynamoDB's and the consumer's throttles happen inside or beside invocations, so they are named apart.
    ['Throttled', t.parts.some((part) => part.service !== 'lambda') ? `${n(t.total)}: ${t.parts.map((part) => part.text).join(', ')}` : n(t.total)],
    // The percentiles are of succeeded invocations: with none, there is no latency to show (not 0 ms).
    ['Latency p50 / p95 / p99', i.succeeded === 0 ? 'none succeeded' : `${ms(report.latencyMs.p50)} / ${ms(report.latencyMs.p95)} / ${ms(report.latencyMs.p99)}`],
    ['Cold starts', n(report.coldStarts)],
    ['Peak concurrent executions', `${n(report.lambda.peakConcurrency)} of ${n(report.lambda.concurrencyLimit)}${concurrency.peak ? `, at ${concurrency.second} s` : ''}`],
    ['Execution environments', `peak ${n(report.environments.peak)}, ${n(report.environments.reclaimed)} reclaimed, ${n(report.environments.crashed)} crashed`],
    ...lifecycleRows(report.lambda, i.total - i.throttled),
  ];
}

/** The rows a sandbox with `detailedReport` adds: timeouts, SIGTERMs and what the invocations were billed. */
function lifecycleRows(lambda: RunReport['lambda'], ran: number): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (lambda.timeouts !== undefined) rows.push(['Timed out (function timeout)', n(lambda.timeouts)]);
  if (lambda.sigterms !== undefined) rows.push(['SIGTERM before reclaim', n(lambda.sigterms)]);
  if (lambda.billedDurationMs !== undefined) {
    rows.push(['Billed duration', `${seconds(lambda.billedDurationMs)}${ran ? `, ${ms(lambda.billedDurationMs / ran)} per invocation that ran` : ''}`]);
  }
  return rows;
}

function databaseRows(report: RunReport): Array<[string, string]> {
  const db = report.database;
  const connections = peakAt(report.series.DatabaseConnections);
  const zombies = peakAt(report.series.ZombieConnections);
  const outage = db.unavailable;
  return [
    ['Instance', `${db.instanceClass}, ${plural(db.vcpus, 'vCPU', 'vCPUs')}, PostgreSQL ${db.engineVersion}`],
    ...(outage
      ? [
          [
            'Unavailable (failover)',
            `${seconds(outage.startMs)} to ${seconds(outage.endMs)}: ${plural(outage.resetConnections, 'open connection', 'open connections')} reset, ${plural(outage.unansweredStartups, 'start-up packet', 'start-up packets')} never answered`,
          ] as [string, string],
        ]
      : []),
    ['Reserved slots', `${n(db.reservedConnections)} for superusers and rds_superuser`],
    [
      'Peak database connections',
      `${n(db.peakConnections)} of max_connections ${n(db.maxConnections)}${db.maxConnectionsNominal ? ' (nominal)' : ''}${connections.peak ? `, at ${connections.second} s` : ''}`,
    ],
    ['Connections opened', n(db.accepted)],
    ['Zombie connections (peak)', `${n(zombies.peak)}; ${n(db.deadClientsReaped)} reaped by TCP keepalive, ${seconds(db.deadClientAfterMs)} after the last traffic`],
    ['Idle-session timeouts', n(db.idleSessionTimeouts)],
    ...(db.closesByReason ? [['Connections closed, by reason', byCount(db.closesByReason) || 'none'] as [string, string]] : []),
  ];
}

function dsqlRows(report: RunReport): Array<[string, string]> {
  const dsql = report.dsql!;
  const db = report.database;
  const connections = peakAt(report.series.DatabaseConnections);
  return [
    ['Connections (peak)', `${n(db.peakConnections)} of ${n(db.maxConnections)} per cluster${connections.peak ? `, at ${connections.second} s` : ''}; ${n(db.accepted)} opened`],
    ['Connection rate', `${n(dsql.ratePerSecond)} new connections/s, burst ${n(dsql.burst)}; ${dsql.lowestBucket === 0 ? 'burst used up' : `at least ${n(dsql.lowestBucket)} of the burst left`}`],
    ['Refused, rate exceeded (53400)', n(dsql.rateExceeded)],
    ['IAM tokens refused', n(dsql.tokensRefused)],
    ['Sessions closed at 60 min', n(dsql.sessionsExpired)],
  ];
}

function proxyRows(proxy: NonNullable<RunReport['proxy']>): Array<[string, string]> {
  const pins = Object.entries(proxy.pinsByReason).sort((a, b) => b[1] - a[1]);
  const clientExtras = [
    proxy.clientConnectionsSetupFailedAuth && `${n(proxy.clientConnectionsSetupFailedAuth)} refused at login`,
    proxy.clientConnectionsClosedIdle && `${n(proxy.clientConnectionsClosedIdle)} closed by IdleClientTimeout`,
  ].filter(Boolean);
  return [
    ['Proxy settings', `${proxy.name}: ConnectionBorrowTimeout ${seconds(proxy.connectionBorrowTimeoutMs)}, IdleClientTimeout ${seconds(proxy.idleClientTimeoutMs)}, IAM ${proxy.iamAuth}`],
    ['Client connections (peak)', `${n(proxy.peakClientConnections)}${clientExtras.length ? `; ${clientExtras.join(', ')}` : ''}`],
    [
      'Proxy database connections (peak)',
      `${n(proxy.peakDatabaseConnections)} of ${n(proxy.maxDatabaseConnectionsAllowed)} allowed; ${n(proxy.peakBorrowed)} borrowed, ${n(proxy.peakPinned)} pinned${proxy.databaseConnectionsSetupFailed ? `; ${n(proxy.databaseConnectionsSetupFailed)} failed to open` : ''}`,
    ],
    ['Borrow queue', `peak ${n(proxy.peakWaiting)} waiting, ${n(proxy.borrowTimeouts)} timed out`],
    ['Borrow latency p50 / p95 / max', `${ms(proxy.borrowLatencyUs.p50 / 1000)} / ${ms(proxy.borrowLatencyUs.p95 / 1000)} / ${ms(proxy.borrowLatencyUs.max / 1000)}`],
    ['Pinning', proxy.pinnedSessions ? `${plural(proxy.pinnedSessions, 'session', 'sessions')} pinned: ${pins.map(([reason, count]) => `${n(count)} × ${reason}`).join(', ')}` : 'no session pinned'],
  ];
}

function dataApiRows(dataApi: NonNullable<RunReport['dataApi']>): Array<[string, string]> {
  const limits = [
    dataApi.responsesTooLarge && `${n(dataApi.responsesTooLarge)} over 1 MiB`,
    dataApi.statementTimeouts && `${n(dataApi.statementTimeouts)} timed out (45 s)`,
    dataApi.transactionsExpired && `${plural(dataApi.transactionsExpired, 'transaction', 'transactions')} expired`,
  ].filter(Boolean);
  return [
    ['Data API calls', `${n(dataApi.requests)}${Object.keys(dataApi.errors).length ? `; errors: ${byCount(dataApi.errors)}` : ''}`],
    ['Calls in the service (peak)', n(dataApi.peakInFlight)],
    ['Service connections', `peak ${n(dataApi.peakConnectionsInUse)} in use of a pool of ${n(dataApi.poolConnections)} (assumed)`],
    ...(limits.length ? [['Data API limits hit', limits.join(', ')] as [string, string]] : []),
  ];
}

function dynamodbRows(dynamodb: NonNullable<RunReport['dynamodb']>): Array<[string, string]> {
  return [
    ['Throttled requests', n(dynamodb.throttledRequests)],
    ...Object.entries(dynamodb.tables).map(
      ([name, table]): [string, string] => [
        `Table ${name}`,
        `${n(table.consumedWriteUnits)} WCU, ${n(table.consumedReadUnits)} RCU consumed; ${n(table.throttledRequests)} throttled; ceilings ${n(table.ceilings.write)} WCU/s, ${n(table.ceilings.read)} RCU/s`,
      ],
    ),
  ];
}

/** Whether and when the queue emptied; "not drained" only when messages are really left. */
export function drainedText(sqs: NonNullable<RunReport['sqs']>): string {
  if (sqs.drainedAtMs !== null) return `drained at ${seconds(sqs.drainedAtMs)}`;
  if (sqs.depthAtEnd > 0) return `not drained: ${plural(sqs.depthAtEnd, 'message', 'messages')} left`;
  return sqs.sent === 0 ? 'no message arrived' : 'empty at the end';
}

function sqsRows(sqs: NonNullable<RunReport['sqs']>): Array<[string, string]> {
  return [
    ['Messages sent / deleted / redelivered', `${n(sqs.sent)} / ${n(sqs.deleted)} / ${n(sqs.redelivered)}`],
    ['Queue depth (peak)', n(sqs.peakDepth)],
    ['Queue', drainedText(sqs)],
    [
      'Event source mapping',
      `${plural(sqs.batches, 'batch', 'batches')} (${plural(sqs.messagesInvoked, 'message', 'messages')}), peak ${n(sqs.peakConcurrentBatches)} at once of MaximumConcurrency ${sqs.maximumConcurrency ?? 'none'}; ${n(sqs.failedBatches)} failed, ${n(sqs.partialFailures)} partial`,
    ],
    [
      'Consumer',
      `${plural(sqs.consumer.invocations, 'invocation', 'invocations')}, ${n(sqs.consumer.failed)} failed, ${n(sqs.consumer.throttled)} throttled; peak concurrency ${n(sqs.consumer.peakConcurrency)}, ${plural(sqs.consumer.coldStarts, 'cold start', 'cold starts')}`,
    ],
  ];
}

function secretsManagerRows(secrets: NonNullable<RunReport['secretsManager']>): Array<[string, string]> {
  const rotation = secrets.rotation;
  const rows: Array<[string, string]> = [['Requests', secrets.requests ? `${n(secrets.requests)}: ${byCount(secrets.byOperation)}` : '0']];
  if (Object.keys(secrets.errors).length > 0) rows.push(['Errors', byCount(secrets.errors)]);
  if (rotation) {
    const changed = rotation.passwordChangedAtMs === null ? 'password not changed' : `password changed at ${seconds(rotation.passwordChangedAtMs)}`;
    const finished = rotation.finishedAtMs === null ? (rotation.failure ? `failed: ${rotation.failure}` : 'not finished') : `AWSCURRENT moved at ${seconds(rotation.finishedAtMs)}`;
    rows.push(['Rotation (single user)', `started at ${seconds(rotation.startedAtMs)}, ${changed}, ${finished}`]);
  }
  return rows;
}

/** The summary of one run. `label` is the variant's label as the page shows it. */
export function summarizeRun(report: RunReport, label: string): RunSummary {
  const used = servicesUsed(report);
  const rowsOf: Record<SummaryService, () => Array<[string, string]>> = {
    lambda: () => lambdaRows(report),
    database: () => databaseRows(report),
    dsql: () => dsqlRows(report),
    proxy: () => proxyRows(report.proxy!),
    dataApi: () => dataApiRows(report.dataApi!),
    dynamodb: () => dynamodbRows(report.dynamodb!),
    sqs: () => sqsRows(report.sqs!),
    secretsManager: () => secretsManagerRows(report.secretsManager!),
  };
  const sections = SERVICES.filter((service) => used.has(service)).map((service) => ({
    service,
    title: SERVICE_TITLES[service],
    rows: rowsOf[service]().map(([rowLabel, value]) => ({ label: rowLabel, value, service })),
  }));
  return {
    label: `${label}${report.edited ? ', edited' : ''}`,
    sections,
    errors: report.errors,
    notes: used.has('database') && report.database.maxConnectionsNominal ? [NOMINAL_NOTE] : [],
  };
}

/** Several summaries side by side: the union of their sections and rows, `undefined` where a run did not use a service. */
export interface SummaryComparison {
  labels: string[];
  sections: Array<{ service: SummaryService; title: string; rows: Array<{ label: string; service: SummaryService; values: Array<string | undefined> }> }>;
  notes: string[];
}

export function compareSummaries(summaries: readonly RunSummary[]): SummaryComparison {
  const sections = SERVICES.flatMap((service) => {
    const labels: string[] = [];
    for (const summary of summaries) {
      for (const row of summary.sections.find((section) => section.service === service)?.rows ?? []) if (!labels.includes(row.label)) labels.push(row.label);
    }
    if (labels.length === 0) return [];
    const rows = labels.map((label) => ({
      label,
      service,
      values: summaries.map((summary) => summary.sections.find((section) => section.service === service)?.rows.find((row) => row.label === label)?.value),
    }));
    return [{ service, title: SERVICE_TITLES[service], rows }];
  });
  return { labels: summaries.map((summary) => summary.label), sections, notes: [...new Set(summaries.flatMap((summary) => summary.notes))] };
}

/** The summary as aligned text, sections as headings: `connlab simulate`'s body. */
export function summaryText(summary: RunSummary): string {
  const width = Math.max(...summary.sections.flatMap((section) => section.rows.map((row) => row.label.length)));
  const lines: string[] = [];
  for (const section of summary.sections) {
    lines.push(section.title, ...section.rows.map((row) => `  ${row.label.padEnd(width)}  ${row.value}`), '');
  }
  if (summary.errors.length === 0) lines.push('Errors: none');
  else {
    lines.push('Errors:');
    const countWidth = Math.max(...summary.errors.map((e) => n(e.count).length));
    const codeWidth = Math.max(...summary.errors.map((e) => e.code.length));
    for (const e of summary.errors) lines.push(`  ${n(e.count).padStart(countWidth)}  ${e.code.padEnd(codeWidth)}  ${e.message}`);
  }
  for (const note of summary.notes) lines.push('', note);
  return lines.join('\n');
}
