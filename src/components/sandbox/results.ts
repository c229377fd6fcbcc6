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
  { label: 'Peak database connections', value: (r) => `${number(r.database.peakConnections)} of max_connections ${number(r.database.maxConnections)}` },
];

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
  for (const row of rows) {
    const tr = document.createElement('tr');
    const th = cell('th', row.label);
    th.scope = 'row';
    tr.append(th, cell('td', row.value(report), 'num'));
    if (pinned) tr.append(cell('td', row.value(pinned.report), 'num'));
    body.append(tr);
  }
  table.append(caption, thead, body);

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
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.append(table);
  parent.replaceChildren(scroll, errors);
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
  for (const row of [...rows, errorRow, ...extraRows]) {
    const tr = document.createElement('tr');
    const th = cell('th', row.label);
    th.scope = 'row';
    tr.append(th, ...columns.map((column) => cell('td', row.value(column.report), 'num')));
    body.append(tr);
  }
  table.append(caption, thead, body);
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.append(table);
  parent.replaceChildren(scroll);
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
