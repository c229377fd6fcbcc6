/**
 * The figures of a run as text: the summary table (src/run/summary.ts's model, the chart's text
 * alternative), errors grouped by code with PostgreSQL's or Lambda's exact message, a pinned run
 * beside the latest for before and after, and the CloudWatch-style log, filterable by execution
 * environment, by level and by error code.
 */
import type { RunReport } from '../../run/report.ts';
import { compareSummaries, formatNumber, type RunSummary, type SummaryComparison } from '../../run/summary.ts';

/** A row the page adds beside the summary's own, across services (the arena's errors and cost). */
export interface ExtraRow {
  label: string;
  values: string[];
}

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

const note = (text: string) => Object.assign(document.createElement('p'), { className: 'note', textContent: text });

/** The summary model as one table: a heading row per service, a column per run; "not used" where a run did not use a service. */
function summaryTable(comparison: SummaryComparison, caption: string, headers: string[], extraRows: ExtraRow[], parameterRows: ExtraRow[] = []): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'run-summary';
  const head = document.createElement('tr');
  head.append(cell('th', 'Figure'), ...headers.map((header) => cell('th', header, 'num')));
  for (const th of head.children) (th as HTMLTableCellElement).scope = 'col';
  const thead = document.createElement('thead');
  thead.append(head);
  table.append(Object.assign(document.createElement('caption'), { textContent: caption }), thead);
  const sections = [
    ...(parameterRows.length ? [{ title: 'Parameters that differ', rows: parameterRows }] : []),
    ...comparison.sections.map((section) => ({ title: section.title, rows: section.rows.map((row) => ({ label: row.label, values: row.values })) })),
  ];
  if (extraRows.length) sections.push({ title: 'Across services', rows: extraRows });
  for (const section of sections) {
    const body = document.createElement('tbody');
    const heading = cell('th', section.title, 'section');
    heading.colSpan = headers.length + 1;
    heading.scope = 'colgroup';
    const headingRow = document.createElement('tr');
    headingRow.append(heading);
    body.append(headingRow);
    for (const row of section.rows) {
      const tr = document.createElement('tr');
      const th = cell('th', row.label);
      th.scope = 'row';
      tr.append(th, ...row.values.map((value) => cell('td', value ?? 'not used', value === undefined ? 'num unused' : 'num')));
      body.append(tr);
    }
    table.append(body);
  }
  return table;
}

/**
 * This run (and the pinned one beside it), then its errors by code. Each code is a button: it
 * filters the log to that code's lines (`onCode`).
 */
export function renderSummary(parent: HTMLElement, summary: RunSummary, pinned: RunSummary | undefined, onCode: (code: string) => void): void {
  const comparison = compareSummaries(pinned ? [summary, pinned] : [summary]);
  const headers = [`This run (${summary.label})`, ...(pinned ? [`Pinned: ${pinned.label}`] : [])];
  const table = summaryTable(comparison, pinned ? 'This run beside the pinned run' : 'This run', headers, []);

  const errors = document.createElement('div');
  const heading = document.createElement('p');
  heading.append(Object.assign(document.createElement('strong'), { textContent: 'Errors by code' }));
  errors.append(heading);
  if (summary.errors.length === 0) errors.append(Object.assign(document.createElement('p'), { textContent: 'None: every invocation succeeded.' }));
  else {
    const list = document.createElement('ul');
    list.className = 'error-list';
    for (const error of summary.errors) {
      const item = document.createElement('li');
      const code = Object.assign(document.createElement('button'), { type: 'button', className: 'error-code', textContent: error.code, title: `Show the log lines with ${error.code}` });
      code.addEventListener('click', () => onCode(error.code));
      item.append(code, ` ${error.message} `, Object.assign(document.createElement('strong'), { textContent: `× ${formatNumber(error.count)}` }));
      list.append(item);
    }
    errors.append(list, Object.assign(document.createElement('p'), { className: 'note', textContent: 'Press a code to show its lines in the log below.' }));
  }
  parent.replaceChildren(scrollable(table, 'Summary of the run'), ...comparison.notes.map(note), errors);
}

/**
 * Several runs as columns of one table: every variant of a sandbox, side by side. Returns the place
 * beside the table for the variants' small charts.
 */
export function renderComparison(parent: HTMLElement, summaries: RunSummary[], extraRows: ExtraRow[], parameterRows: ExtraRow[] = []): HTMLElement {
  const comparison = compareSummaries(summaries);
  const caption = `All ${summaries.length} variants, ${parameterRows.length ? 'same seed, parameters as shown' : 'same parameters and seed'}`;
  const table = summaryTable(comparison, caption, comparison.labels, extraRows, parameterRows);
  const charts = Object.assign(document.createElement('div'), { className: 'compare-charts' });
  const beside = Object.assign(document.createElement('div'), { className: 'comparison' });
  beside.append(scrollable(table, 'Variants compared'), charts);
  parent.replaceChildren(beside, ...comparison.notes.map(note));
  return charts;
}

interface LogFilter {
  environment: string;
  /** '' for every line, 'error' for error lines, or one error code's lines. */
  level: '' | 'error' | { code: string };
}

const isErrorLine = (line: string) => /\b(ERROR|error|Error|FATAL|Task timed out|Runtime\.)\b/.test(line);
const CODE_PREFIX = 'code:';

/** The level select's value for a filter, and back. */
const levelValue = (level: LogFilter['level']) => (typeof level === 'object' ? `${CODE_PREFIX}${level.code}` : level);
const levelOf = (value: string): LogFilter['level'] => (value.startsWith(CODE_PREFIX) ? { code: value.slice(CODE_PREFIX.length) } : value === 'error' ? 'error' : '');

function shows(line: string, level: LogFilter['level']): boolean {
  if (level === '') return true;
  if (level === 'error') return isErrorLine(line);
  return isErrorLine(line) && line.includes(level.code);
}

/**
 * Log groups per invocation, each tagged with the execution environment that ran it. The log keeps
 * at most 25 invocations (run.ts), so the environment list stays short however many environments ran.
 */
function renderLogs(view: HTMLElement, selects: { environment: HTMLSelectElement; level: HTMLSelectElement }, report: RunReport, filter: LogFilter): void {
  const groups = report.logs;
  const environments = [...new Set(groups.map((group) => group.environment))].sort();
  const { environment: environmentSelect, level: levelSelect } = selects;
  environmentSelect.replaceChildren(new Option('All', ''), ...environments.map((env) => new Option(env, env)));
  if (!environments.includes(filter.environment)) filter.environment = '';
  environmentSelect.value = filter.environment;
  environmentSelect.disabled = environments.length === 0;
  const codes = [...new Set(report.errors.map((error) => error.code))];
  if (typeof filter.level === 'object' && !codes.includes(filter.level.code)) filter.level = 'error';
  levelSelect.replaceChildren(new Option('All', ''), new Option('Errors only', 'error'), ...codes.map((code) => new Option(`Errors with code ${code}`, levelValue({ code }))));
  levelSelect.value = levelValue(filter.level);

  view.replaceChildren();
  let shown = 0;
  for (const group of groups) {
    if (filter.environment && group.environment !== filter.environment) continue;
    for (const line of group.lines.filter((each) => shows(each, filter.level))) {
      const span = document.createElement('span');
      if (isErrorLine(line)) span.className = 'log-error';
      span.textContent = `[${group.environment}] ${line}\n`;
      view.append(span);
      shown++;
    }
  }
  if (shown === 0) {
    view.textContent =
      typeof filter.level === 'object' ? `No log line shows ${filter.level.code}: the log keeps the first invocations and the first failure of each kind, and a throttled request never reaches a handler.` : 'No log lines match the filter.';
  }
}

/** A results view's log, wired to its filters: the sandbox's and "Check your handler"'s. */
export interface RunLog {
  /** A finished run's log; with errors it opens on them, the lines that say why being what the reader looks for. */
  show(report: RunReport): void;
  /** A code pressed under "Errors by code": the log shows that code's lines, and the reader is taken there. */
  showCode(code: string): void;
}

export function wireLog(view: HTMLElement, selects: { environment: HTMLSelectElement; level: HTMLSelectElement }): RunLog {
  const filter: LogFilter = { environment: '', level: '' };
  let report: RunReport | undefined;
  const refresh = () => {
    if (report) renderLogs(view, selects, report, filter);
  };
  selects.environment.addEventListener('change', () => {
    filter.environment = selects.environment.value;
    refresh();
  });
  selects.level.addEventListener('change', () => {
    filter.level = levelOf(selects.level.value);
    refresh();
  });
  return {
    show(next) {
      report = next;
      filter.level = next.errors.length ? 'error' : '';
      refresh();
    },
    showCode(code) {
      filter.level = { code };
      refresh();
      view.scrollIntoView({ block: 'nearest' });
      view.focus();
    },
  };
}
