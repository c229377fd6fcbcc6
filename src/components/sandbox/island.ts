/**
 * One sandbox on the page: the code (static until the reader touches it, then the editor:
 * code-source.ts), the parameters, Run and Stop, the live chart and the results. The reader's edits are kept in this browser per sandbox and variant; Reset can be undone;
 * a share link carries code and parameters, and the code it replaces is kept until the reader
 * restores or discards it. The engine runs in the page's Worker (engine-client.ts).
 */
import type { RunReport } from '../../run/report.ts';
import type { Sandbox } from '../../sandboxes/schema.ts';
import { applyParameters, carryParameters, resolveParameters } from '../../sandboxes/parameters.ts';
import { createCodeSource, type CodeSource } from './code-source.ts';
import { foldsOnPhone } from './code-view.ts';
import type { RecordedRun, RunChart } from './chart.ts';
import { renderComparison, renderSummary, wireLog } from './results.ts';
import { formatNumber, summarizeRun, type RunSummary } from '../../run/summary.ts';
import { checkHandler, startRun } from './engine-client.ts';
import { readSandboxSource } from './sandbox-source.ts';
import { openSharedCode, readSavedCode, withoutFirstKept, writeEdits, writeKept } from '../../sandboxes/saved-code.ts';
import { shareLinkLimits } from '../../sandboxes/limits.ts';
import { expectationsFor } from '../../run/expectations.ts';
import { createChecklist } from './checklist.ts';
import { formatRunTime } from '../../run/verdict.ts';

type Values = Record<string, number | string>;

function find<T extends HTMLElement>(root: HTMLElement, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`sandbox: missing ${selector}`);
  return element;
}

/** This browser's storage, if the page may use it (without it, edits last for this page). */
function browserStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Whether this history entry has already opened its share link. A reload keeps the entry's state, so
 * the link's code is loaded once and the reader's later choice (or edits) survive reloading; the
 * same link opened afresh is a new entry and loads again.
 */
const openedLinkKey = (id: string) => `connlab:share-link-opened:${id}`;
function historyState(): Record<string, unknown> {
  const state: unknown = history.state;
  return typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : {};
}
const linkAlreadyOpened = (id: string) => historyState()[openedLinkKey(id)] === true;
const markLinkOpened = (id: string, url?: URL) => history.replaceState({ ...historyState(), [openedLinkKey(id)]: true }, '', url);

/** The share-link codec and the chart load when first needed, keeping the island small before Run. */
const loadShare = () => import('../../sandboxes/share.ts');
const loadChart = () => import('./chart.ts');

export async function mountSandbox(root: HTMLElement): Promise<void> {
  const source = readSandboxSource(root);
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
  const foldButton = find<HTMLButtonElement>(root, '[data-action="unfold"]');
  const outcome = find<HTMLElement>(root, '[data-outcome]');
  const checklist = createChecklist(find<HTMLElement>(root, '[data-checklist]'), find<HTMLElement>(root, '[data-checklist-empty]'), find<HTMLElement>(root, '[data-verdict]'));
  const summary = find<HTMLElement>(root, '[data-summary]');
  const log = wireLog(find<HTMLElement>(root, '[data-log-view]'), { environment: find<HTMLSelectElement>(root, '[data-log-env]'), level: find<HTMLSelectElement>(root, '[data-log-level]') });
  const button = (action: string) => find<HTMLButtonElement>(root, `[data-action="${action}"]`);
  const [runButton, stopButton, shareButton, pinButton, resetButton, diffButton] = ['run', 'stop', 'share', 'pin', 'reset', 'diff'].map(button) as [
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
    HTMLButtonElement,
  ];
  const keptNotice = find<HTMLElement>(root, '[data-kept]');
  const keptFile = find<HTMLElement>(root, '[data-kept-file]');
  const keptMore = find<HTMLElement>(root, '[data-kept-more]');
  const [restoreKeptButton, compareKeptButton, discardKeptButton] = ['restore-kept', 'compare-kept', 'discard-kept'].map(button) as [HTMLButtonElement, HTMLButtonElement, HTMLButtonElement];

  const storage = browserStorage();
  let { edits, kept } = readSavedCode(storage, id);
  // Set when this browser could not keep the reader's version aside: the link's code then shows unsaved.
  let savingHeld = false;
  let variant = definition.variants[0]!;
  let chart: RunChart | undefined;
  let running: { stop(): void } | undefined;
  let lastReport: RunReport | undefined;
  let pinned: RunSummary | undefined;
  /** The pinned run's chart points, drawn faintly under the next run. */
  let pinnedRun: RecordedRun | undefined;
  let undoReset: string | undefined;
  let comparing: { button: HTMLButtonElement; idleLabel: string; close(): void } | undefined;
  const chartElement = find<HTMLElement>(root, '[data-chart]');
  // The page shows the variant's label, as its Code choice does; the id is for links and the CLI.
  const summarise = (report: RunReport) => summarizeRun(report, definition.variants.find((each) => each.id === report.variant)?.label ?? report.variant);

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

  // The link's code replaces the saved version only once that version is safely kept aside.
  const linkCode = shared?.files?.[variant.handler];
  let openedLinkNow = false;
  if (linkCode !== undefined && !linkAlreadyOpened(id)) {
    const opened = openSharedCode({ edits, kept }, currentFileKey(), linkCode, originalText());
    if (opened.keptNow && !writeKept(storage, id, opened.kept)) {
      savingHeld = true;
      showMessage('This browser could not store a copy of your saved code, so the share link\'s code is shown but not saved: your version stays as it was.');
    } else {
      ({ edits, kept } = opened);
      writeEdits(storage, id, edits);
      openedLinkNow = opened.keptNow;
    }
    markLinkOpened(id);
  }
  const initialText = savingHeld ? linkCode! : (edits[currentFileKey()] ?? originalText());

  // The code of each variant as the build highlighted it, for the static block to show until the editor loads.
  const staticBlock = find<HTMLElement>(editorHost, '[data-code-static]');
  const highlighted = new Map<string, string>([[source.files[definition.variants[0]!.handler] ?? '', staticBlock.innerHTML]]);
  for (const template of root.querySelectorAll<HTMLTemplateElement>('template[data-static-code]')) {
    const handler = definition.variants.find((each) => each.id === template.dataset.staticCode)?.handler;
    if (handler) highlighted.set(source.files[handler] ?? '', template.innerHTML);
  }
  const code: CodeSource = createCodeSource({
    block: staticBlock,
    highlighted,
    text: initialText,
    fileName: variant.handler,
    label: `Handler code, ${variant.handler}. Ctrl+Enter runs it.`,
    onChange: (text) => {
      if (text === originalText()) delete edits[currentFileKey()];
      else edits[currentFileKey()] = text;
      if (!savingHeld) writeEdits(storage, id, edits);
      refreshEditedState();
      scheduleCheck();
    },
    onRun: () => void run(),
  });

  function refreshEditedState(): void {
    const edited = code.text() !== originalText();
    editedBadge.hidden = !edited;
    resetButton.disabled = !edited && undoReset === undefined;
    resetButton.textContent = !edited && undoReset !== undefined ? 'Undo reset' : 'Reset code';
    diffButton.disabled = !edited && comparing?.button !== diffButton;
  }

  /** The notice offering the reader's kept version of the file in the editor, if there is one. */
  function refreshKeptNotice(): void {
    const versions = kept[currentFileKey()] ?? [];
    keptNotice.hidden = versions.length === 0;
    keptFile.textContent = variant.handler;
    keptMore.hidden = versions.length < 2;
    keptMore.textContent = `${versions.length - 1} older ${versions.length === 2 ? 'version is' : 'versions are'} kept too; the next is offered once you choose for this one.`;
  }

  // Two texts side by side in the editor's place (the diff view loads on first use); one at a time.
  function closeComparison(): void {
    if (!comparing) return;
    comparing.close();
    comparing.button.setAttribute('aria-pressed', 'false');
    comparing.button.textContent = comparing.idleLabel;
    comparing = undefined;
    code.element().hidden = false;
    refreshEditedState();
  }
  async function toggleComparison(toggle: HTMLButtonElement, idleLabel: string, base: string, labels: { base: string; current: string }): Promise<void> {
    const wasOpen = comparing?.button === toggle;
    closeComparison();
    if (wasOpen) return;
    // The comparison is the editor's: it loads first if the reader has not touched the code yet.
    const editor = await code.editor();
    const holder = document.createElement('div');
    holder.className = 'compare';
    const caption = document.createElement('p');
    caption.className = 'compare-caption';
    caption.textContent = `Left: ${labels.base}. Right: ${labels.current}.`;
    holder.append(caption);
    code.element().hidden = true;
    editorHost.append(holder);
    const close = await editor.compare(base, holder, labels);
    comparing = {
      button: toggle,
      idleLabel,
      close: () => {
        close();
        holder.remove();
      },
    };
    toggle.setAttribute('aria-pressed', 'true');
    toggle.textContent = 'Back to the editor';
    refreshEditedState();
  }

  // Syntax is checked in the Worker (the same compiler the run uses), shortly after typing stops.
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  let checkedText = '';
  function scheduleCheck(): void {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => void check(), 400);
  }
  async function check(): Promise<boolean> {
    const text = code.text();
    const error = await checkHandler(text, variant.handler);
    if (code.text() !== text) return false;
    checkedText = text;
    if (error) {
      const where = error.position ? `line ${error.position.line}, column ${error.position.column}: ` : '';
      diagnostic.hidden = false;
      diagnostic.textContent = `${variant.handler}, ${where}${error.message}`;
      code.showError(error.position);
      return false;
    }
    diagnostic.hidden = true;
    code.clearError();
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
    // The page was built with the first variant's defaults; the link's variant may have others.
    writeValues(carryParameters(definition, readValues(), definition.variants[0]!.id, variant.id));
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
      closeComparison();
      // Values the reader left at this variant's defaults take the next one's; their own choices stay.
      writeValues(carryParameters(definition, readValues(), variant.id, next.id));
      variant = next;
      undoReset = undefined;
      fileName.textContent = variant.handler;
      if (variantDescription) variantDescription.textContent = variant.description;
      code.replace(edits[currentFileKey()] ?? originalText());
      refreshFold();
      refreshEditedState();
      refreshKeptNotice();
      refreshChecklist();
    });
  }
  if (variantDescription) variantDescription.textContent = variant.description;
  fileName.textContent = variant.handler;

  // On a phone a long handler shows its first lines (Sandbox.astro's fold) until the reader asks for
  // all of it or goes into the code.
  function refreshFold(): void {
    const expanded = foldButton.getAttribute('aria-expanded') === 'true';
    foldButton.hidden = !foldsOnPhone(code.text());
    foldButton.textContent = expanded ? 'Show less code' : 'Show all code';
    editorHost.toggleAttribute('data-folded', !foldButton.hidden && !expanded);
  }
  const setExpanded = (expanded: boolean) => {
    foldButton.setAttribute('aria-expanded', String(expanded));
    refreshFold();
  };
  foldButton.addEventListener('click', () => setExpanded(foldButton.getAttribute('aria-expanded') !== 'true'));
  editorHost.addEventListener('focusin', () => setExpanded(true));
  refreshFold();

  // What to look for follows the variant and the values: each expectation is about one of each.
  const refreshChecklist = () => checklist.show(expectationsFor(definition, variant.id, readValues()));
  parametersForm.addEventListener('input', refreshChecklist);
  parametersForm.addEventListener('change', refreshChecklist);
  refreshChecklist();

  resetButton.addEventListener('click', () => {
    closeComparison();
    if (code.text() !== originalText()) {
      undoReset = code.text();
      code.replace(originalText());
      status.textContent = 'Code reset to the original. Undo reset brings your version back.';
    } else if (undoReset !== undefined) {
      code.replace(undoReset);
      undoReset = undefined;
      status.textContent = 'Your version is back.';
    }
    refreshEditedState();
  });

  diffButton.addEventListener('click', () =>
    toggleComparison(diffButton, 'Compare with original', originalText(), { base: 'the original handler', current: 'your handler' }),
  );

  // The kept version: back in one click (the editor's undo brings the link's code back), compared, or discarded.
  const keptVersion = () => kept[currentFileKey()]?.[0];
  const dropKeptVersion = () => {
    kept = withoutFirstKept(kept, currentFileKey());
    writeKept(storage, id, kept);
    refreshKeptNotice();
    code.focus();
  };
  restoreKeptButton.addEventListener('click', () => {
    const version = keptVersion();
    if (version === undefined) return;
    closeComparison();
    // The editor saves the restored version before the kept copy goes, so one copy is always stored.
    code.replace(version);
    dropKeptVersion();
    status.textContent = `Your saved version of ${variant.handler} is back. Ctrl+Z in the editor brings the share link's code back.`;
  });
  compareKeptButton.addEventListener('click', () => {
    const version = keptVersion();
    if (version === undefined) return;
    void toggleComparison(compareKeptButton, 'Show the differences', version, { base: 'your saved version', current: 'the code in the editor, from the share link' });
  });
  discardKeptButton.addEventListener('click', () => {
    if (keptVersion() === undefined) return;
    closeComparison();
    dropKeptVersion();
    status.textContent = `Your earlier version of ${variant.handler} is discarded; the editor keeps the share link's code.`;
  });

  shareButton.addEventListener('click', async () => {
    const url = new URL(location.href);
    const text = code.text();
    if (text.length > shareLinkLimits.codeCharacters.value) {
      status.textContent = `This code is longer than ${formatNumber(shareLinkLimits.codeCharacters.value)} characters, the most a share link may carry; shorten it to share it.`;
      return;
    }
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
    // The reader's own link already holds the editor's code: reloading it must not set their edits aside.
    markLinkOpened(id, url);
  });

  pinButton.addEventListener('click', () => {
    if (!lastReport) return;
    pinned = summarise(lastReport);
    pinnedRun = chart?.recorded();
    pinButton.textContent = 'Pinned: run again to compare';
    renderSummary(summary, pinned, undefined, log.showCode);
    status.textContent = 'Run pinned. Change the code or the parameters and run again to see both side by side.';
  });

  /** The chart of a run of these values: its length may be a parameter. */
  const chartSetup = (values: Values) => ({ ...definition.chart, durationMs: applyParameters(definition, resolveParameters(definition, values)).durationMs });
  /** The variants' small charts after "Compare all", until the next run replaces the table they stand beside. */
  let smallCharts: { destroy(): void } | undefined;

  /** A fresh chart for a run of these values, over the pinned run's lines when there is one. */
  function resetChart(values: Values, ghost?: RecordedRun): void {
    smallCharts?.destroy();
    smallCharts = undefined;
    chart!.reset(chartSetup(values), ghost);
    chartElement.setAttribute('aria-label', 'Chart of the run over time, drawn as it runs; the table below gives the same figures');
  }

  /** The chart's text alternative once the run is over: what it shows and its markers. */
  function describeChart(): void {
    const found = chart!.markers();
    const parts = [`Chart of the run over time: ${definition.chart.series.map((series) => series.label).join(', ')}`];
    if (definition.chart.limit && found.limit) parts.push(`against ${definition.chart.limit.label} ${formatNumber(found.limit.value)}`);
    if (found.limit?.reachedMs !== undefined) parts.push(`limit reached at ${formatRunTime(found.limit.reachedMs)}`);
    if (found.firstErrorMs !== undefined) parts.push(`first error at ${formatRunTime(found.firstErrorMs)}`);
    chartElement.setAttribute('aria-label', `${parts.join('; ')}. The table below gives the same figures.`);
  }

  const compareAllButton = root.querySelector<HTMLButtonElement>('[data-action="compare-all"]');

  function setRunning(isRunning: boolean): void {
    runButton.disabled = isRunning;
    if (compareAllButton) compareAllButton.disabled = isRunning;
    stopButton.disabled = !isRunning;
    root.dataset.state = isRunning ? 'running' : 'idle';
    // Progress ("virtual second 3 of 12") is not read aloud; the verdict's live region announces the run once, when it ends.
    status.setAttribute('aria-live', isRunning ? 'off' : 'polite');
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

  // Every variant with the same seed and the reader's parameters (each at its own defaults where the
  // reader left them), one after the other, then one table.
  compareAllButton?.addEventListener('click', async () => {
    if (running || !parametersForm.reportValidity()) return;
    const values = readValues();
    const valuesOf = (each: string): Values => carryParameters(definition, values, variant.id, each);
    showMessage(undefined);
    setRunning(true);
    results.hidden = false;
    chartElement.hidden = false;
    checklist.clearVerdict();
    refreshChecklist();
    chart ??= (await loadChart()).createChart(chartElement);
    const reports: RunReport[] = [];
    const recorded: RecordedRun[] = [];
    for (const [index, each] of definition.variants.entries()) {
      status.textContent = `Running variant ${index + 1} of ${definition.variants.length}: ${each.label}…`;
      const eachValues = valuesOf(each.id);
      resetChart(eachValues);
      const edited = edits[each.handler];
      const report = await runOnce(each.id, eachValues, edited);
      if (!report) break;
      // Each variant's chart gets its text alternative before the next one replaces it.
      describeChart();
      reports.push(report);
      recorded.push(chart.recorded());
    }
    running = undefined;
    setRunning(false);
    if (reports.length === definition.variants.length) {
      // The arena compares patterns, so it also prices them (from the cited prices, assumptions marked).
      const { ARENA_PATTERNS, arenaRow } = await import('../../run/arena-row.ts');
      const patterns: readonly string[] = ARENA_PATTERNS;
      const priced = reports.every((report) => patterns.includes(report.variant));
      const errorRow = { label: 'Errors by code', values: reports.map((report) => (report.errors.length ? report.errors.map((error) => `${error.code} × ${formatNumber(error.count)}`).join(', ') : 'none')) };
      // Only patterns have prices: a sandbox's other variants (the Data API's exports) are code, not patterns.
      const costRows = priced
        ? [
            {
              label: 'Cost per million requests',
              values: reports.map((report) => {
                const row = arenaRow(report.variant as (typeof ARENA_PATTERNS)[number], report, source);
                return `$${row.costPerMillionUsd.toFixed(2)}${row.costUsesAssumptions ? ' (uses an assumed price)' : ''}`;
              }),
            },
          ]
        : [];
      // A parameter some variant ran with a value of its own gets a row: there the table compares unlike loads.
      const parameterRows = definition.parameters
        .filter((parameter) => new Set(reports.map((report) => String(report.parameters[parameter.key]))).size > 1)
        .map((parameter) => ({
          label: parameter.label,
          values: reports.map((report) => (parameter.kind === 'number' ? formatNumber(Number(report.parameters[parameter.key])) : String(report.parameters[parameter.key]))),
        }));
      const beside = renderComparison(summary, reports.map(summarise), [errorRow, ...costRows], parameterRows);
      const { createSmallCharts } = await loadChart();
      smallCharts = createSmallCharts(beside, chartSetup(values), reports.map((report, index) => ({ label: definition.variants[index]!.label, run: recorded[index]! })));
      status.textContent = `All ${reports.length} variants finished; the table compares them.`;
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
    if (code.text() !== checkedText || !diagnostic.hidden) {
      if (!(await check())) {
        setRunning(false);
        status.textContent = 'Fix the syntax error to run.';
        return;
      }
    }
    results.hidden = false;
    chartElement.hidden = false;
    const expectations = expectationsFor(definition, variant.id, values);
    checklist.show(expectations);
    checklist.clearVerdict();
    outcome.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    chart ??= (await loadChart()).createChart(chartElement);
    resetChart(values, pinnedRun);
    const durationMs = applyParameters(definition, resolveParameters(definition, values)).durationMs;
    const handlerSource = code.text();
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
          status.textContent = `Running… virtual second ${Math.floor(sample.startMs / 1000) + 1} of ${Math.ceil(durationMs / 1000)}`;
        },
        onDone: (report) => {
          running = undefined;
          lastReport = report;
          renderSummary(summary, summarise(report), pinned, log.showCode);
          log.show(report);
          pinButton.disabled = false;
          const failures = report.invocations.failed + report.invocations.throttled;
          status.textContent = `Run finished: ${formatNumber(report.invocations.total)} invocations, ${formatNumber(report.invocations.succeeded)} succeeded, ${formatNumber(failures)} failed or throttled; peak ${report.database.peakConnections} database connections of ${report.database.maxConnections}${report.database.maxConnectionsNominal ? ' (nominal max_connections)' : ''}.`;
          root.dataset.lastRunMs = String(Math.round(performance.now() - started));
          // The status changed while it was silent; the verdict's region is the one announcement.
          setRunning(false);
          describeChart();
          checklist.judge(expectations, report);
        },
        onFailed: (error) => {
          running = undefined;
          setRunning(false);
          if (error.position) code.showError(error.position);
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
  refreshKeptNotice();
  status.textContent = openedLinkNow
    ? `Ready. The share link's code is in the editor; your saved version of ${variant.handler} is kept until you choose.`
    : `Ready. Press Run${matchMedia('(hover: none)').matches ? '' : ' (Ctrl+Enter)'} to start.`;
  root.dataset.ready = 'true';
  if (shared) root.scrollIntoView({ block: 'start' });
}
