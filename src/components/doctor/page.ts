/**
 * The "Check your handler" page: the reader's handler in the sandboxes' editor, with the doctor's
 * findings in its lint gutter and as a list (why, fix, a one-click edit where the rule offers one, the
 * chapter), the arithmetic for their concurrency and instance, and for JavaScript and TypeScript a Run
 * through a pattern's world in the sandboxes' engine Worker, shown by the sandboxes' results view.
 * The file is read here and never sent anywhere; the page's state travels in the share link's fragment.
 * The editor (with editor-setup.ts) and the doctor's parsers load when there is code to edit or check.
 */
import { languageOf, type Language } from '../../doctor/model.ts';
import type { Finding, FixEdit } from '../../doctor/rule.ts';
import { rules } from '../../doctor/rules/index.ts';
import { findInstanceClass, nominalMaxConnections, reservedForOrdinaryRoles } from '../../facts/postgres.ts';
import type { Sandbox, SandboxSource } from '../../sandboxes/schema.ts';
import { applyParameters, resolveParameters } from '../../sandboxes/parameters.ts';
import { shareLinkLimits } from '../../sandboxes/limits.ts';
import { formatNumber, summarizeRun } from '../../run/summary.ts';
import { runVerdict } from '../../run/verdict.ts';
import { ownHandlerSandbox } from '../../run/own-handler.ts';
import type { HandlerEditor } from '../sandbox/editor.ts';
import { createCodeSource } from '../sandbox/code-source.ts';
import { startRun } from '../sandbox/engine-client.ts';
import { renderSummary, wireLog } from '../sandbox/results.ts';
import type { RunChart } from '../sandbox/chart.ts';
import { doctorPatterns, isDoctorPattern, type DoctorPattern } from './patterns.ts';

/** The share link's sandbox id: the page's state rides in the sandboxes' format (sandboxes/share.ts). */
const SHARE_ID = 'doctor';
/** A handler file is source code: anything larger is not one (the command line's bound too). */
const LARGEST_FILE = 2 * 1024 * 1024;
const LANGUAGES: Record<Language, { label: string; fileName: string }> = {
  javascript: { label: 'JavaScript', fileName: 'handler.mjs' },
  typescript: { label: 'TypeScript', fileName: 'handler.ts' },
  python: { label: 'Python', fileName: 'lambda_function.py' },
};
const isLanguage = (value: string): value is Language => value in LANGUAGES;
const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
const pythonNotRun = 'Python handlers are checked, not run: the simulator runs JavaScript and TypeScript handlers.';
const SEVERITY_WORDS = { error: 'error', warning: 'warning', info: 'information' } as const;

function find<T extends HTMLElement>(root: HTMLElement, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`doctor page: missing ${selector}`);
  return element;
}

/** Rule texts put `code` in backticks: those pieces become <code>. */
function withCode(text: string): Node[] {
  return text.split('`').map((piece, index) => (index % 2 === 1 ? Object.assign(document.createElement('code'), { textContent: piece }) : document.createTextNode(piece)));
}

const loadShare = () => import('../../sandboxes/share.ts');
/** The parsers behind the findings: loaded with the first code to check, not with an empty page. */
const loadAnalyzer = () => import('../../doctor/analyze.ts');

/** What the doctor found in the code, and whether the code exports a handler at all. */
interface Analysis {
  findings: Finding[];
  handlerFound: boolean;
}

export async function mountDoctor(root: HTMLElement): Promise<void> {
  const definitions: Record<DoctorPattern, Sandbox> = JSON.parse(find<HTMLScriptElement>(root, '[data-definitions]').textContent ?? '{}');
  const chapters: Record<string, string> = JSON.parse(find<HTMLScriptElement>(root, '[data-chapters]').textContent ?? '{}');
  const base = import.meta.env.BASE_URL;
  const message = find<HTMLElement>(root, '[data-message]');
  const form = find<HTMLFormElement>(root, '[data-inputs]');
  const fileInput = find<HTMLInputElement>(root, '[data-file]');
  const languageSelect = find<HTMLSelectElement>(root, '[data-language]');
  const patternSelect = find<HTMLSelectElement>(root, '[data-pattern]');
  const patternHelp = find<HTMLElement>(root, '[data-pattern-help]');
  const control = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const arithmetic = find<HTMLElement>(root, '[data-arithmetic]');
  const fileNameLabel = find<HTMLElement>(root, '[data-file-name]');
  const editorHost = find<HTMLElement>(root, '[data-editor]');
  const findingsTitle = find<HTMLElement>(root, '#doctor-findings-title');
  const findingsCount = find<HTMLElement>(root, '[data-findings-count]');
  const findingList = find<HTMLOListElement>(root, '[data-findings]');
  const status = find<HTMLElement>(root, '[data-status]');
  const verdict = find<HTMLElement>(root, '[data-verdict]');
  const results = find<HTMLElement>(root, '[data-results]');
  const chartElement = find<HTMLElement>(root, '[data-chart]');
  const summary = find<HTMLElement>(root, '[data-summary]');
  const log = wireLog(find<HTMLElement>(root, '[data-log-view]'), { environment: find<HTMLSelectElement>(root, '[data-log-env]'), level: find<HTMLSelectElement>(root, '[data-log-level]') });
  const button = (action: string) => find<HTMLButtonElement>(root, `[data-action="${action}"]`);
  const [runButton, stopButton, shareButton] = [button('run'), button('stop'), button('share')];

  const showMessage = (text: string | undefined) => {
    message.hidden = !text;
    message.textContent = text ?? '';
  };

  // A share link's state: checked value by value, so one bad value is named and the rest still apply.
  let initialText = '';
  let fileName: string | undefined;
  if (location.hash.startsWith(`#run=${SHARE_ID}~`)) {
    const { decodeSharedState } = await loadShare();
    const decoded = decodeSharedState(location.hash);
    if (!decoded.ok) showMessage(`This share link could not be read (${decoded.error}). The page shows its defaults.`);
    else {
      const { variant, params, files } = decoded.state;
      const rejected: string[] = [];
      if (variant !== undefined) {
        if (isDoctorPattern(variant)) patternSelect.value = variant;
        else rejected.push(`pattern "${variant}" is not one of ${doctorPatterns.map((pattern) => pattern.id).join(', ')}`);
      }
      for (const [key, value] of Object.entries(params)) {
        const target = key === 'language' ? languageSelect : form.elements.namedItem(key);
        if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement) || target === patternSelect) {
          rejected.push(`${key} is not a setting of this page`);
          continue;
        }
        const before = target.value;
        target.value = String(value);
        if (target.value !== String(value) || !target.checkValidity()) {
          rejected.push(`${key} ${JSON.stringify(value)} is not allowed here`);
          target.value = before;
        }
      }
      const [name, text] = Object.entries(files ?? {})[0] ?? [];
      if (name !== undefined && text !== undefined) {
        fileName = name;
        initialText = text;
      }
      if (rejected.length) showMessage(`Some values in the share link were not used: ${rejected.join('; ')}. Their defaults apply.`);
    }
  }

  const language = (): Language => (isLanguage(languageSelect.value) ? languageSelect.value : 'javascript');
  const pattern = () => doctorPatterns.find((each) => each.id === patternSelect.value) ?? doctorPatterns[0]!;
  const shownFileName = () => fileName ?? LANGUAGES[language()].fileName;

  // The code shows as the page was built (an empty handler) until the reader focuses it, pastes or
  // types into it, or a file or share link brings code: then CodeMirror, most of the page's
  // JavaScript, loads and takes its place (sandbox/code-source.ts, as in the sandboxes).
  let editorSetup: typeof import('./editor-setup.ts') | undefined;
  let editor: HandlerEditor | undefined;
  const staticBlock = find<HTMLElement>(editorHost, '[data-code-static]');
  const code = createCodeSource({
    block: staticBlock,
    text: initialText,
    highlighted: new Map([['', staticBlock.innerHTML]]),
    fileName: LANGUAGES.javascript.fileName,
    label: staticBlock.getAttribute('aria-label') ?? '',
    extensions: async () => {
      editorSetup = await import('./editor-setup.ts');
      return editorSetup.doctorEditorExtensions(language());
    },
    onLoad: (loaded) => {
      editor = loaded;
      setLanguage();
      if (analysis) showFindingsInEditor(analysis);
    },
    onChange: () => scheduleCheck(),
    onRun: () => void run(),
  });

  /** What the analysis assumes: the pattern's proxy, the concurrency, and the connections an ordinary role may open. */
  function deployment() {
    const concurrency = Number(control('concurrency').value);
    const instance = findInstanceClass(control('instanceClass').value);
    const yours = Number(control('maxConnections').value);
    const serverMax = yours > 0 ? yours : instance ? nominalMaxConnections(instance) : undefined;
    const maxConnections = serverMax === undefined ? undefined : serverMax - reservedForOrdinaryRoles();
    return { proxy: pattern().proxy, concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : undefined, serverMax, maxConnections, yours: yours > 0 };
  }

  function describeArithmetic(analysis: Analysis): void {
    const { concurrency, serverMax, maxConnections, proxy, yours } = deployment();
    if (concurrency === undefined || serverMax === undefined || maxConnections === undefined) {
      arithmetic.textContent = 'Give the concurrency and the instance to see whether your connections fit.';
      return;
    }
    const budget = `max_connections ${formatNumber(serverMax)} (${yours ? 'yours' : 'the nominal figure'}) leaves ${formatNumber(maxConnections)} for your function, after the ${reservedForOrdinaryRoles()} slots RDS reserves for superusers.`;
    if (proxy) {
      arithmetic.textContent = `Through RDS Proxy the function's connections are the proxy's, not the database's: ${budget}`;
      return;
    }
    const pools = analysis.findings.filter((finding) => finding.rule === 'connection-budget');
    arithmetic.textContent = pools.length
      ? `${budget} ${pools.map((finding) => finding.message).join('; ')}.`
      : `${budget} At ${formatNumber(concurrency)} environments the connections the doctor can count fit.`;
  }

  let analysis: Analysis | undefined;
  let analysedText: string | undefined;
  let checks = 0;

  function showFindingsInEditor({ findings }: Analysis): void {
    if (!editor || !editorSetup) return;
    editorSetup.showFindings(editor.view, findings, (finding) => (finding.edit ? { name: finding.edit.label, apply: () => void applyEdit(finding.edit!) } : undefined));
  }

  async function check(): Promise<void> {
    const text = code.text();
    const request = ++checks;
    let found: Analysis = { findings: [], handlerFound: false };
    if (text.trim()) {
      const { analyze } = await loadAnalyzer();
      // A later check started while the parsers loaded: it has the newer code.
      if (request !== checks) return;
      const { findings, facts } = analyze(text, language(), deployment());
      found = { findings, handlerFound: facts.handler !== undefined };
    }
    analysis = found;
    analysedText = text;
    showFindingsInEditor(analysis);
    renderFindings(analysis, text);
    describeArithmetic(analysis);
    refreshRunnable();
  }

  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleCheck(): void {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => void check(), 250);
  }

  function renderFindings({ findings, handlerFound }: Analysis, text: string): void {
    const count = { error: 0, warning: 0, info: 0 };
    for (const finding of findings) count[finding.severity]++;
    const noHandler = text.trim() && !handlerFound ? ' No handler export was found (export const handler, exports.handler, def lambda_handler), so nothing is known to run per invocation.' : '';
    findingsCount.textContent = !text.trim()
      ? 'Paste, open or drop a handler to check it.'
      : findings.length === 0
        ? `No findings: nothing the doctor checks for stands out.${noHandler}`
        : `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'}: ${count.error} ${count.error === 1 ? 'error' : 'errors'}, ${count.warning} ${count.warning === 1 ? 'warning' : 'warnings'}, ${count.info} information.${noHandler}`;
    findingList.replaceChildren(...findings.map(findingItem));
  }

  function findingItem(finding: Finding): HTMLLIElement {
    const rule = ruleById.get(finding.rule)!;
    const item = document.createElement('li');
    item.dataset.severity = finding.severity;
    item.dataset.rule = finding.rule;
    const head = Object.assign(document.createElement('p'), { className: 'finding-head' });
    head.append(
      `Line ${finding.place.line}: ${finding.message} `,
      Object.assign(document.createElement('span'), { className: 'finding-rule', textContent: `(${SEVERITY_WORDS[finding.severity]}, ${finding.rule})` }),
    );
    const why = document.createElement('p');
    why.append(Object.assign(document.createElement('strong'), { textContent: 'Why: ' }), rule.why);
    const fix = document.createElement('p');
    fix.append(Object.assign(document.createElement('strong'), { textContent: 'Fix: ' }), ...withCode(rule.fix));
    const actions = Object.assign(document.createElement('p'), { className: 'finding-actions' });
    if (finding.edit) {
      const apply = Object.assign(document.createElement('button'), { type: 'button', className: 'primary', textContent: `Apply the fix: ${finding.edit.label}` });
      apply.addEventListener('click', () => void applyEdit(finding.edit!));
      actions.append(apply);
    }
    const show = Object.assign(document.createElement('button'), { type: 'button', textContent: `Show line ${finding.place.line}` });
    show.addEventListener('click', async () => {
      const { view } = await code.editor();
      view.dispatch({ selection: { anchor: Math.min(finding.place.from, view.state.doc.length) }, scrollIntoView: true });
      view.focus();
    });
    const chapter = Object.assign(document.createElement('a'), { href: `${base}guide/${rule.chapter}/`, textContent: `Chapter: ${chapters[rule.chapter] ?? rule.chapter}` });
    actions.append(show, chapter);
    if (rule.sandbox) actions.append(Object.assign(document.createElement('a'), { href: `${base}guide/${rule.chapter}/#sandbox-${rule.sandbox}`, textContent: `Sandbox: ${rule.sandbox}` }));
    item.append(head, why, fix, actions);
    return item;
  }

  /** Applies a finding's edit to the text it was found in; on text changed since, the findings are refreshed instead. */
  async function applyEdit(edit: FixEdit): Promise<void> {
    if (code.text() !== analysedText) {
      await check();
      status.textContent = 'The code changed since it was checked; the findings are up to date now.';
      return;
    }
    const { view } = await code.editor();
    view.dispatch({ changes: { from: edit.from, to: edit.to, insert: edit.insert }, selection: { anchor: edit.from + edit.insert.length }, scrollIntoView: true });
    clearTimeout(checkTimer);
    await check();
    status.textContent = `Applied: ${edit.label}. Ctrl+Z in the editor undoes it.`;
    findingsTitle.focus();
  }

  // The handler from a file, opened or dropped: its name chooses the language.
  async function openFile(file: File): Promise<void> {
    const chosen = languageOf(file.name);
    if (!chosen) {
      showMessage(`${file.name} is in no language the doctor reads (.js, .mjs, .cjs, .ts, .mts, .cts, .py).`);
      return;
    }
    if (file.size > LARGEST_FILE) {
      showMessage(`${file.name} is ${formatNumber(file.size)} bytes, too large for a handler file (at most ${formatNumber(LARGEST_FILE)}).`);
      return;
    }
    showMessage(undefined);
    fileName = file.name;
    languageSelect.value = chosen;
    setLanguage();
    code.replace(await file.text());
    clearTimeout(checkTimer);
    await check();
    status.textContent = `Opened ${file.name} (${LANGUAGES[chosen].label}); it stays in this browser.${chosen === 'python' ? ` ${pythonNotRun}` : ''}`;
  }
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void openFile(file);
  });
  // Captured before CodeMirror, which would insert a dropped file at the drop point instead of opening it.
  editorHost.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    editorHost.dataset.dragging = '';
  }, { capture: true });
  editorHost.addEventListener('dragleave', () => delete editorHost.dataset.dragging);
  editorHost.addEventListener('drop', (event) => {
    delete editorHost.dataset.dragging;
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    event.stopPropagation();
    void openFile(file);
  }, { capture: true });

  function setLanguage(): void {
    if (editor && editorSetup) editorSetup.setEditorLanguage(editor.view, language());
    fileNameLabel.textContent = shownFileName();
  }
  languageSelect.addEventListener('change', () => {
    if (fileName && languageOf(fileName) !== language()) fileName = undefined;
    setLanguage();
    void check();
  });
  patternSelect.addEventListener('change', () => {
    patternHelp.textContent = pattern().description;
    void check();
  });
  form.addEventListener('input', (event) => {
    if (event.target !== fileInput) void check();
  });

  let running: { stop(): void } | undefined;
  let chart: RunChart | undefined;

  function refreshRunnable(): void {
    const python = language() === 'python';
    runButton.disabled = running !== undefined || python || !code.text().trim();
    if (python && !running) status.textContent = pythonNotRun;
    else if (!python && status.textContent?.includes(pythonNotRun)) status.textContent = 'Ready.';
  }

  function setRunning(isRunning: boolean): void {
    stopButton.disabled = !isRunning;
    root.dataset.state = isRunning ? 'running' : 'idle';
    status.setAttribute('aria-live', isRunning ? 'off' : 'polite');
    refreshRunnable();
  }

  /** The pasted handler in place of the pattern's own, under the name that tells the compiler its language. */
  /** The pattern's sandbox with the pasted handler, its schema and the PG* variables, as `connlab simulate --handler` runs it. */
  function runSource(definition: Sandbox, text: string): SandboxSource {
    const file = LANGUAGES[language()].fileName;
    return ownHandlerSandbox({ definition, files: {} }, { file, code: text, setupSql: definition.database.setupSql, env: {} });
  }

  async function run(): Promise<void> {
    if (running || language() === 'python' || !code.text().trim() || !form.reportValidity()) return;
    const chosen = pattern();
    const definition = definitions[chosen.id];
    const keys = new Set(definition.parameters.map((parameter) => parameter.key));
    const values: Record<string, number | string> = {};
    for (const key of ['concurrency', 'instanceClass', 'maxConnections']) {
      if (keys.has(key)) values[key] = key === 'instanceClass' ? control(key).value : Number(control(key).value);
    }
    showMessage(undefined);
    verdict.textContent = '';
    delete verdict.dataset.result;
    const text = code.text();
    running = { stop() {} };
    setRunning(true);
    status.textContent = 'Starting…';
    results.hidden = false;
    chart ??= (await import('../sandbox/chart.ts')).createChart(chartElement);
    const { durationMs } = applyParameters(definition, resolveParameters(definition, values));
    chart.reset({ ...definition.chart, durationMs });
    chartElement.setAttribute('aria-label', 'Chart of the run over time, drawn as it runs; the table below gives the same figures');
    running = startRun(
      { sandbox: runSource(definition, text), parameters: values },
      {
        onLoading: (progress) => {
          status.textContent = progress.phase === 'download' ? `Loading PostgreSQL: ${((progress.loadedBytes ?? 0) / 2 ** 20).toFixed(1)} MB…` : progress.phase === 'start' ? 'Starting PostgreSQL…' : 'Running…';
        },
        onSample: (sample) => {
          chart!.add(sample);
          status.textContent = `Running… virtual second ${Math.floor(sample.startMs / 1000) + 1} of ${Math.ceil(durationMs / 1000)}`;
        },
        onDone: (report) => {
          running = undefined;
          renderSummary(summary, summarizeRun(report, `your handler, ${chosen.label}`), undefined, log.showCode);
          log.show(report);
          chartElement.setAttribute('aria-label', `Chart of the run over time: ${definition.chart.series.map((series) => series.label).join(', ')}. The table below gives the same figures.`);
          const failures = report.invocations.failed + report.invocations.throttled;
          verdict.dataset.result = failures > 0 ? 'failed' : 'passed';
          verdict.textContent = runVerdict(report);
          status.textContent = 'Run finished.';
          setRunning(false);
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

  shareButton.addEventListener('click', async () => {
    const text = code.text();
    if (text.length > shareLinkLimits.codeCharacters.value) {
      status.textContent = `This code is longer than ${formatNumber(shareLinkLimits.codeCharacters.value)} characters, the most a share link may carry; shorten it to share it.`;
      return;
    }
    const { encodeSharedState } = await loadShare();
    const url = new URL(location.href);
    url.hash = encodeSharedState({
      sandbox: SHARE_ID,
      variant: pattern().id,
      params: { language: language(), concurrency: Number(control('concurrency').value), instanceClass: control('instanceClass').value, maxConnections: Number(control('maxConnections').value) },
      files: { [shownFileName()]: text },
    });
    history.replaceState(history.state, '', url);
    try {
      await navigator.clipboard.writeText(url.toString());
      status.textContent = 'Share link copied. It holds your code and settings, in the part of the address no server sees.';
    } catch {
      status.textContent = 'Copy the share link from the address bar.';
    }
  });

  patternHelp.textContent = pattern().description;
  setLanguage();
  await check();
  shareButton.disabled = false;
  setRunning(false);
  if (language() !== 'python') status.textContent = initialText ? "Ready. The share link's handler is in the editor." : 'Ready. Paste your handler into the editor.';
  root.dataset.ready = 'true';
}
