/**
 * One sandbox on the page: the editor, the parameters, Run and Stop, the live chart and the
 * results. The reader's edits are kept in this browser per sandbox and variant; Reset can be undone;
 * a share link carries code and parameters. The engine runs in the page's Worker (engine-client.ts).
 */
import type { RunReport } from '../../run/report.ts';
import type { Sandbox, SandboxSource } from '../../sandboxes/schema.ts';
import { resolveParameters } from '../../sandboxes/parameters.ts';
import { findInstanceClass, nominalMaxConnections } from '../../facts/postgres.ts';
import { createEditor, type HandlerEditor } from './editor.ts';
import type { RunChart } from './chart.ts';
import { renderComparison, renderLogs, renderSummary, type LogFilter } from './results.ts';
import { checkHandler, startRun } from './engine-client.ts';

const storagePrefix = 'connlab:sandbox:';

type Values = Record<string, number | string>;

function find<T extends HTMLElement>(root: HTMLElement, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`sandbox: missing ${selector}`);
  return element;
}

function loadEdits(id: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(`${storagePrefix}${id}`) ?? '{}');
    if (parsed && typeof parsed === 'object') return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } catch {
    // A damaged entry is ignored; the original code shows.
  }
  return {};
}

function saveEdits(id: string, edits: Record<string, string>): void {
  try {
    if (Object.keys(edits).length) localStorage.setItem(`${storagePrefix}${id}`, JSON.stringify(edits));
    else localStorage.removeItem(`${storagePrefix}${id}`);
  } catch {
    // Without storage, edits last for this page.
  }
}

/** The chart's limit line: the reader's own max_connections when given, else the class's nominal figure. */
const maxConnectionsFor = (instanceClass: string | number | undefined, override: string | number | null | undefined) => {
  if (Number(override) > 0) return Number(override);
  const instance = findInstanceClass(String(instanceClass));
  return instance ? nominalMaxConnections(instance) : 0;
};

/** The share-link codec and the chart load when first needed, keeping the island small before Run. */
const loadShare = () => import('../../sandboxes/share.ts');
const loadChart = () => import('./chart.ts');

export async function mountSandbox(root: HTMLElement): Promise<void> {
  const source: SandboxSource = JSON.parse(find<HTMLScriptElement>(root, '[data-sandbox-source]').textContent ?? '{}');
  const definition: Sandbox = source.definition;
  const id = definition.id;

  const message = find<HTMLElement>(root, '[data-message]');
  const diagnostic = find<HTMLElement>(root, '[data-diagnostic]');
  const status = find<HTMLElement>(root, '[data-status]');
  const editorHost = find<HTMLElement>(root, '[data-editor]');
  const fileName = find<HTMLElement>(root, '[data-file-name]');
  const editedBadge = find<HTMLElement>(root, '[data-edited]');
  const parametersForm = find<HTMLFormElement>(root, '[data-parameters]');
  const results = find<HTMLElement>(root, '[data-results]');
  const summary = find<HTMLElement>(root, '[data-summary]');
  const logView = find<HTMLElement>(root, '[data-log-view]');
  const logEnvironment = find<HTMLSelectElement>(root, '[data-log-env]');
  const logLevel = find<HTMLSelectElement>(root, '[data-log-level]');
  const button = (action: string) => find<HTMLButtonElement>(root, `[data-action="${action}"]`);
  const [runButton, stopButton, shareButton, pinButton, resetButton, diffButton] = ['run', 'stop', 'share', 'pin', 'reset', 'diff'].map(button) as [
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
  ];

  const edits = loadEdits(id);
  let variant = definition.variants[0]!;
  let chart: RunChart | undefined;
  let running: { stop(): void } | undefined;
  let lastReport: RunReport | undefined;
  let pinned: { report: RunReport; label: string } | undefined;
  let undoReset: string | undefined;
  let closeCompare: (() => void) | undefined;
  const logFilter: LogFilter = { environment: '', level: '' };

  const showMessage = (text: string | undefined) => {
    message.hidden = !text;
    message.textContent = text ?? '';
  };

  // A shared link for this sandbox overrides the saved state; a damaged one says why and changes nothing.
  let shared: { variant?: string; params: Record<string, number | string | boolean>; files?: Record<string, string> } | undefined;
  if (location.hash.startsWith(`#run=${id}~`)) {
    const { decodeSharedState } = await loadShare();
    const decoded = decodeSharedState(location.hash);
    if (decoded.ok) shared = decoded.state;
    else showMessage(`This share link could not be read (${decoded.error}). The sandbox shows its defaults.`);
  }
  if (shared?.variant) {
    const wanted = definition.variants.find((candidate) => candidate.id === shared!.variant);
    if (wanted) variant = wanted;
    else showMessage(`The share link names a variant "${shared.variant}" this sandbox does not have; showing "${variant.id}".`);
  }

  const originalText = () => source.files[variant.handler] ?? '';
  const currentFileKey = () => variant.handler;
  const initialText = shared?.files?.[variant.handler] ?? edits[currentFileKey()] ?? originalText();

  editorHost.replaceChildren();
  const editor: HandlerEditor = createEditor({
    parent: editorHost,
    text: initialText,
    fileName: variant.handler,
    label: `Handler code, ${variant.handler}. Ctrl+Enter runs it.`,
    onChange: (text) => {
      if (text === originalText()) delete edits[currentFileKey()];
      else edits[currentFileKey()] = text;
      saveEdits(id, edits);
      refreshEditedState();
      scheduleCheck();
    },
    onRun: () => void run(),
  });
  if (shared?.files?.[variant.handler] !== undefined && shared.files[variant.handler] !== originalText()) {
    edits[currentFileKey()] = shared.files[variant.handler]!;
    saveEdits(id, edits);
  }

  function refreshEditedState(): void {
    const edited = editor.text() !== originalText();
    editedBadge.hidden = !edited;
    resetButton.disabled = !edited && undoReset === undefined;
    resetButton.textContent = !edited && undoReset !== undefined ? 'Undo reset' : 'Reset code';
    diffButton.disabled = !edited && !closeCompare;
  }

  // Syntax is checked in the Worker (the same compiler the run uses), shortly after typing stops.
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  let checkedText = '';
  function scheduleCheck(): void {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => void check(), 400);
  }
  async function check(): Promise<boolean> {
    const text = editor.text();
    const error = await checkHandler(text, variant.handler);
    if (editor.text() !== text) return false;
    checkedText = text;
    if (error) {
      const where = error.position ? `line ${error.position.line}, column ${error.position.column}: ` : '';
      diagnostic.hidden = false;
      diagnostic.textContent = `${variant.handler}, ${where}${error.message}`;
      editor.showError(error.position);
      return false;
    }
    diagnostic.hidden = true;
    editor.clearError();
    return true;
  }

  // Parameters: defaults, then the share link's values (each checked, bad ones named and skipped).
  function readValues(): Values {
    const values: Values = {};
    for (const parameter of definition.parameters) {
      const control = parametersForm.elements.namedItem(parameter.key) as HTMLInputElement | HTMLSelectElement;
      values[parameter.key] = parameter.kind === 'number' ? Number(control.value) : control.value;
    }
    return values;
  }
  function writeValues(values: Values): void {
    for (const parameter of definition.parameters) {
      const control = parametersForm.elements.namedItem(parameter.key) as HTMLInputElement | HTMLSelectElement;
      if (values[parameter.key] !== undefined) control.value = String(values[parameter.key]);
    }
  }
  if (shared) {
    const rejected: string[] = [];
    const accepted: Values = {};
    for (const [key, value] of Object.entries(shared.params)) {
      try {
        resolveParameters(definition, { [key]: typeof value === 'boolean' ? String(value) : value });
        accepted[key] = typeof value === 'boolean' ? String(value) : value;
      } catch (error) {
        rejected.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
      }
    }
    writeValues(accepted);
    if (rejected.length) showMessage(`Some values in the share link were not used: ${rejected.join('; ')}. Their defaults apply.`);
  }

  // Variants ("before" and "after").
  const variantDescription = root.querySelector<HTMLElement>('[data-variant-description]');
  for (const input of root.querySelectorAll<HTMLInputElement>('[data-variants] input[type="radio"]')) {
    input.checked = input.value === variant.id;
    input.addEventListener('change', () => {
      const next = definition.variants.find((candidate) => candidate.id === input.value);
      if (!next || next === variant) return;
      closeCompare?.();
      closeCompare = undefined;
      variant = next;
      undoReset = undefined;
      fileName.textContent = variant.handler;
      if (variantDescription) variantDescription.textContent = variant.description;
      editor.replace(edits[currentFileKey()] ?? originalText());
      refreshEditedState();
    });
  }
  if (variantDescription) variantDescription.textContent = variant.description;
  fileName.textContent = variant.handler;

  resetButton.addEventListener('click', () => {
    if (editor.text() !== originalText()) {
      undoReset = editor.text();
      editor.replace(originalText());
      status.textContent = 'Code reset to the original. Undo reset brings your version back.';
    } else if (undoReset !== undefined) {
      editor.replace(undoReset);
      undoReset = undefined;
      status.textContent = 'Your version is back.';
    }
    refreshEditedState();
  });

  diffButton.addEventListener('click', async () => {
    if (closeCompare) {
      closeCompare();
      closeCompare = undefined;
      editorHost.firstElementChild?.removeAttribute('hidden');
      diffButton.setAttribute('aria-pressed', 'false');
      diffButton.textContent = 'Compare with original';
      refreshEditedState();
      return;
    }
    const holder = document.createElement('div');
    holder.className = 'compare';
    editorHost.firstElementChild?.setAttribute('hidden', '');
    editorHost.append(holder);
    const close = await editor.compare(originalText(), holder);
    closeCompare = () => {
      close();
      holder.remove();
    };
    diffButton.setAttribute('aria-pressed', 'true');
    diffButton.textContent = 'Back to the editor';
  });

  shareButton.addEventListener('click', async () => {
    const url = new URL(location.href);
    const text = editor.text();
    const { encodeSharedState } = await loadShare();
    url.hash = encodeSharedState({
      sandbox: id,
      variant: variant.id,
      params: readValues(),
      ...(text !== originalText() ? { files: { [variant.handler]: text } } : {}),
    });
    try {
      await navigator.clipboard.writeText(url.toString());
      status.textContent = 'Share link copied. It holds your code and parameters.';
    } catch {
      status.textContent = 'Copy the share link from the address bar.';
    }
    history.replaceState(null, '', url);
  });

  pinButton.addEventListener('click', () => {
    if (!lastReport) return;
    pinned = { report: lastReport, label: `${lastReport.variant}${lastReport.edited ? ', edited' : ''}` };
    pinButton.textContent = 'Pinned: run again to compare';
    renderSummary(summary, lastReport, undefined);
    status.textContent = 'Run pinned. Change the code or the parameters and run again to see both side by side.';
  });

  logEnvironment.addEventListener('change', () => {
    logFilter.environment = logEnvironment.value;
    if (lastReport) renderLogs(logView, logEnvironment, lastReport, logFilter);
  });
  logLevel.addEventListener('change', () => {
    logFilter.level = logLevel.value === 'error' ? 'error' : '';
    if (lastReport) renderLogs(logView, logEnvironment, lastReport, logFilter);
  });

  const compareAllButton = root.querySelector<HTMLButtonElement>('[data-action="compare-all"]');

  function setRunning(isRunning: boolean): void {
    runButton.disabled = isRunning;
    if (compareAllButton) compareAllButton.disabled = isRunning;
    stopButton.disabled = !isRunning;
    root.dataset.state = isRunning ? 'running' : 'idle';
  }

  /** One run to its end, as a promise: the report, or undefined if it failed or was stopped. */
  function runOnce(variantId: string, values: Values, handlerSource: string | undefined): Promise<RunReport | undefined> {
    return new Promise((resolve) => {
      running = startRun(
        { sandbox: source, variant: variantId, parameters: values, ...(handlerSource !== undefined ? { handlerSource } : {}) },
        {
          onSample: (sample) => chart?.add(sample),
          onDone: (report) => resolve(report),
          onFailed: (error) => {
            showMessage(`Variant ${variantId} could not run: ${error.name}: ${error.message}`);
            resolve(undefined);
          },
          onStopped: (reason) => {
            status.textContent = reason;
            resolve(undefined);
          },
        },
      );
    });
  }

  // Every variant with the same parameters and seed, one after the other, then one table.
  compareAllButton?.addEventListener('click', async () => {
    if (running || !parametersForm.reportValidity()) return;
    const values = readValues();
    showMessage(undefined);
    setRunning(true);
    results.hidden = false;
    chart ??= (await loadChart()).createChart(find<HTMLElement>(root, '[data-chart]'));
    const columns: Array<{ label: string; report: RunReport }> = [];
    for (const [index, each] of definition.variants.entries()) {
      status.textContent = `Running variant ${index + 1} of ${definition.variants.length}: ${each.label}…`;
      chart.reset(maxConnectionsFor(values.instanceClass ?? definition.database.instanceClass, values.maxConnections ?? definition.database.maxConnections));
      const edited = edits[each.handler];
      const report = await runOnce(each.id, values, edited);
      if (!report) break;
      columns.push({ label: each.label, report });
    }
    running = undefined;
    setRunning(false);
    if (columns.length === definition.variants.length) {
      // The arena compares patterns, so it also prices them (from the cited prices, assumptions marked).
      const { ARENA_PATTERNS, arenaRow } = await import('../../run/arena-row.ts');
      const patterns: readonly string[] = ARENA_PATTERNS;
      const priced = columns.every((column) => patterns.includes(column.report.variant));
      const costRow = {
        label: 'Cost per million requests',
        value: (report: RunReport) => {
          const row = arenaRow(report.variant as (typeof ARENA_PATTERNS)[number], report, source);
          return `$${row.costPerMillionUsd.toFixed(2)}${row.costUsesAssumptions ? ' (uses an assumed price)' : ''}`;
        },
      };
      renderComparison(summary, columns, priced ? [costRow] : []);
      status.textContent = `All ${columns.length} variants finished; the table compares them.`;
    }
  });

  async function run(): Promise<void> {
    if (running) return;
    if (!parametersForm.reportValidity()) return;
    const values = readValues();
    try {
      resolveParameters(definition, values);
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
      return;
    }
    showMessage(undefined);
    setRunning(true);
    status.textContent = 'Checking the code…';
    if (editor.text() !== checkedText || !diagnostic.hidden) {
      if (!(await check())) {
        setRunning(false);
        status.textContent = 'Fix the syntax error to run.';
        return;
      }
    }
    results.hidden = false;
    chart ??= (await loadChart()).createChart(find<HTMLElement>(root, '[data-chart]'));
    chart.reset(maxConnectionsFor(values.instanceClass ?? definition.database.instanceClass, values.maxConnections ?? definition.database.maxConnections));
    const handlerSource = editor.text();
    const started = performance.now();
    let firstSampleAt: number | undefined;
    running = startRun(
      { sandbox: source, variant: variant.id, parameters: values, ...(handlerSource !== originalText() ? { handlerSource } : {}) },
      {
        onLoading: (progress) => {
          if (progress.phase === 'download') {
            const loaded = ((progress.loadedBytes ?? 0) / 1024 / 1024).toFixed(1);
            const total = progress.totalBytes ? ` of ${(progress.totalBytes / 1024 / 1024).toFixed(1)}` : '';
            status.textContent = `Loading PostgreSQL: ${loaded}${total} MB…`;
          } else if (progress.phase === 'start') status.textContent = 'Starting PostgreSQL…';
          else status.textContent = 'Running…';
        },
        onSample: (sample) => {
          firstSampleAt ??= performance.now() - started;
          root.dataset.firstSampleMs = String(Math.round(firstSampleAt));
          chart!.add(sample);
          status.textContent = `Running… virtual second ${sample.second + 1} of ${Math.ceil(Number(values.durationMs ?? definition.durationMs) / 1000)}`;
        },
        onDone: (report) => {
          running = undefined;
          setRunning(false);
          lastReport = report;
          renderSummary(summary, report, pinned);
          renderLogs(logView, logEnvironment, report, logFilter);
          pinButton.disabled = false;
          const failures = report.invocations.failed + report.invocations.throttled;
          status.textContent = `Run finished: ${report.invocations.total.toLocaleString('en-US')} invocations, ${report.invocations.succeeded.toLocaleString('en-US')} succeeded, ${failures.toLocaleString('en-US')} failed or throttled; peak ${report.database.peakConnections} database connections of ${report.database.maxConnections}${report.database.maxConnectionsNominal ? ' (nominal max_connections)' : ''}.`;
          root.dataset.lastRunMs = String(Math.round(performance.now() - started));
        },
        onFailed: (error) => {
          running = undefined;
          setRunning(false);
          if (error.position) editor.showError(error.position);
          showMessage(`The run could not start: ${error.name}: ${error.message}`);
          status.textContent = 'Run failed.';
        },
        onStopped: (reason) => {
          running = undefined;
          setRunning(false);
          status.textContent = reason;
          if (reason !== 'Stopped.') showMessage(reason);
        },
      },
    );
  }

  runButton.addEventListener('click', () => void run());
  stopButton.addEventListener('click', () => running?.stop());
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !(event.target as HTMLElement).closest('.cm-editor')) {
      event.preventDefault();
      void run();
    }
  });

  for (const control of [runButton, shareButton, compareAllButton]) if (control) control.disabled = false;
  refreshEditedState();
  status.textContent = 'Ready. Press Run (Ctrl+Enter) to start.';
  root.dataset.ready = 'true';
  if (shared) root.scrollIntoView({ block: 'start' });
}
