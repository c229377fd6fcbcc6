/**
 * The figures of a run as text: the summary table (the chart's text alternative), errors grouped
 * by code with PostgreSQL's or Lambda's exact message, a pinned run beside the latest for before and
 * after, and the CloudWatch-style log, filterable by execution environment and level.
 */
import type { RunReport } from '../../run/report.ts';

const number = (value: number) => value.toLocaleString('en-US');
const ms = (value: number) => `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;

interface Row {
  label: string;
  value(report: RunReport): string;
}

const rows: Row[] = [
  { label: 'Invocations', value: (r) => number(r.invocations.total) },
  { label: 'Succeeded', value: (r) => number(r.invocations.succeeded) },
  { label: 'Failed', value: (r) => number(r.invocations.failed) },
  { label: 'Throttled', value: (r) => number(r.invocations.throttled) },
  { label: 'Latency p50 / p95 / p99', value: (r) => `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p95)} / ${ms(r.latencyMs.p99)}` },
  { label: 'Cold starts', value: (r) => number(r.coldStarts) },
  { label: 'Peak concurrent executions', value: (r) => `${number(r.lambda.peakConcurrency)} of ${number(r.lambda.concurrencyLimit)}` },
  { label: 'Peak execution environments', value: (r) => number(r.environments.peak) },
  { label: 'Peak database connections', value: (r) => `${number(r.database.peakConnections)} of max_connections ${number(r.database.maxConnections)}${r.database.maxConnectionsNominal ? ' (nominal)' : ''}` },
  {
    label: 'Database engine, reserved slots',
    value: (r) => `PostgreSQL ${r.database.engineVersion}, ${number(r.database.reservedConnections)} for superusers and rds_superuser`,
  },
];

/** Says what "(nominal)" means, under the table, whenever a run shows a nominal figure. */
const NOMINAL_NOTE = 'Nominal: the formula on the instance class\'s nominal memory. A real instance reports less (SHOW max_connections); give a sandbox yours with its maxConnections parameter.';

/** Rows for the services a sandbox has, shown only when a report carries them. */
const serviceRows: Array<Row & { present(report: RunReport): boolean }> = [
  {
    label: 'RDS Proxy: client connections (peak)',
    present: (r) => Boolean(r.proxy),
    value: (r) => (r.proxy ? number(r.proxy.peakClientConnections) : '–'),
  },
  {
    label: 'RDS Proxy: database connections (peak, of allowed)',
    present: (r) => Boolean(r.proxy),
    value: (r) => (r.proxy ? `${number(r.proxy.peakDatabaseConnections)} of ${number(r.proxy.maxDatabaseConnectionsAllowed)}` : '–'),
  },
  {
    label: 'RDS Proxy: pinned sessions / borrow timeouts',
    present: (r) => Boolean(r.proxy),
    value: (r) => (r.proxy ? `${number(r.proxy.pinnedSessions)} / ${number(r.proxy.borrowTimeouts)}` : '–'),
  },
  {
    label: 'RDS Proxy: borrow latency p50 / p95',
    present: (r) => Boolean(r.proxy),
    value: (r) => (r.proxy ? `${ms(r.proxy.borrowLatencyUs.p50 / 1000)} / ${ms(r.proxy.borrowLatencyUs.p95 / 1000)}` : '–'),
  },
  {
    label: 'Data API: calls / in the service at once (peak)',
    present: (r) => Boolean(r.dataApi),
    value: (r) => (r.dataApi ? `${number(r.dataApi.requests)} / ${number(r.dataApi.peakInFlight)}` : '–'),
  },
  {
    label: 'DynamoDB: throttled requests',
    present: (r) => Boolean(r.dynamodb),
    value: (r) => (r.dynamodb ? number(r.dynamodb.throttledRequests) : '–'),
  },
  {
    label: 'SQS: messages sent / deleted, queue depth (peak)',
    present: (r) => Boolean(r.sqs),
    value: (r) => (r.sqs ? `${number(r.sqs.sent)} / ${number(r.sqs.deleted)}, ${number(r.sqs.peakDepth)}` : '–'),
  },
  {
    label: 'SQS: queue drained at',
    present: (r) => Boolean(r.sqs),
    value: (r) => (r.sqs ? (r.sqs.drainedAtMs === null ? `not drained (${number(r.sqs.depthAtEnd)} left)` : `${(r.sqs.drainedAtMs / 1000).toFixed(1)} s`) : '–'),
  },
];

const rowsFor = (reports: RunReport[]): Row[] => [...rows, ...serviceRows.filter((row) => reports.some((report) => row.present(report)))];

/** A wide table scrolls sideways on a phone; keyboard users must be able to focus it to scroll. */
function scrollable(table: HTMLTableElement, label: string): HTMLDivElement {
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', label);
  scroll.append(table);
  return scroll;
}

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

export function renderSummary(parent: HTMLElement, report: RunReport, pinned?: { report: RunReport; label: string }): void {
  const table = document.createElement('table');
  table.className = 'run-summary';
  const caption = document.createElement('caption');
  caption.textContent = pinned ? 'This run beside the pinned run' : 'This run';
  const head = document.createElement('tr');
  head.append(cell('th', 'Figure'), cell('th', `This run (${report.variant}${report.edited ? ', edited' : ''})`, 'num'));
  if (pinned) head.append(cell('th', `Pinned: ${pinned.label}`, 'num'));
  const thead = document.createElement('thead');
  thead.append(head);
  const body = document.createElement('tbody');
  for (const row of rowsFor(pinned ? [report, pinned.report] : [report])) {
    const tr = document.createElement('tr');
    const th = cell('th', row.label);
    th.scope = 'row';
    tr.append(th, cell('td', row.value(report), 'num'));
    if (pinned) tr.append(cell('td', row.value(pinned.report), 'num'));
    body.append(tr);
  }
  table.append(caption, thead, body);
  const nominal = [report, ...(pinned ? [pinned.report] : [])].some((r) => r.database.maxConnectionsNominal);

  const errors = document.createElement('div');
  const heading = document.createElement('p');
  heading.append(Object.assign(document.createElement('strong'), { textContent: 'Errors by code' }));
  errors.append(heading);
  if (report.errors.length === 0) errors.append(Object.assign(document.createElement('p'), { textContent: 'None: every invocation succeeded.' }));
  else {
    const list = document.createElement('ul');
    for (const error of report.errors) {
      const item = document.createElement('li');
      const code = Object.assign(document.createElement('code'), { className: 'error-code', textContent: error.code });
      item.append(code, ` ${error.message} `, Object.assign(document.createElement('strong'), { textContent: `× ${number(error.count)}` }));
      list.append(item);
    }
    errors.append(list);
  }
  parent.replaceChildren(scrollable(table, 'Summary of the run'), ...(nominal ? [Object.assign(document.createElement('p'), { className: 'note', textContent: NOMINAL_NOTE })] : []), errors);
}

/** Several runs as columns of one table: every variant of a sandbox, side by side. */
export function renderComparison(parent: HTMLElement, columns: Array<{ label: string; report: RunReport }>, extraRows: Row[] = []): void {
  const table = document.createElement('table');
  table.className = 'run-summary';
  const caption = document.createElement('caption');
  caption.textContent = `All ${columns.length} variants, same parameters and seed`;
  const head = document.createElement('tr');
  head.append(cell('th', 'Figure'), ...columns.map((column) => cell('th', column.label, 'num')));
  const thead = document.createElement('thead');
  thead.append(head);
  const body = document.createElement('tbody');
  const errorRow: Row = {
    label: 'Errors by code',
    value: (r) => (r.errors.length ? r.errors.map((error) => `${error.code} × ${number(error.count)}`).join(', ') : 'none'),
  };
  for (const row of [...rowsFor(columns.map((column) => column.report)), errorRow, ...extraRows]) {
    const tr = document.createElement('tr');
    const th = cell('th', row.label);
    th.scope = 'row';
    tr.append(th, ...columns.map((column) => cell('td', row.value(column.report), 'num')));
    body.append(tr);
  }
  table.append(caption, thead, body);
  const nominal = columns.some((column) => column.report.database.maxConnectionsNominal);
  parent.replaceChildren(scrollable(table, 'Variants compared'), ...(nominal ? [Object.assign(document.createElement('p'), { className: 'note', textContent: NOMINAL_NOTE })] : []));
}

export type { Row as SummaryRow };

export interface LogFilter {
  environment: string;
  level: '' | 'error';
}

const isErrorLine = (line: string) => /\b(ERROR|error|Error|FATAL|Task timed out|Runtime\.)\b/.test(line);

/** Log groups per invocation, each tagged with the execution environment that ran it. */
export function renderLogs(view: HTMLElement, environmentSelect: HTMLSelectElement, report: RunReport, filter: LogFilter): void {
  const groups = report.logs;
  const environments = [...new Set(groups.map((group) => group.environment))].sort();
  const current = environmentSelect.value;
  environmentSelect.replaceChildren(new Option('All', ''), ...environments.map((env) => new Option(env, env)));
  environmentSelect.value = environments.includes(current) ? current : '';
  environmentSelect.disabled = environments.length === 0;

  view.replaceChildren();
  let shown = 0;
  for (const group of groups) {
    if (filter.environment && group.environment !== filter.environment) continue;
    const lines = filter.level === 'error' ? group.lines.filter(isErrorLine) : group.lines;
    for (const line of lines) {
      const span = document.createElement('span');
      if (isErrorLine(line)) span.className = 'log-error';
      span.textContent = `[${group.environment}] ${line}\n`;
      view.append(span);
      shown++;
    }
  }
  if (shown === 0) view.textContent = 'No log lines match the filter.';
}
