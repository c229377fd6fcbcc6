/**
 * The wizard's behaviour: read the answers (share link, then this browser's last answers, then the
 * defaults), decide, generate, and keep the URL, the preview and the zip in step with the form.
 * decide() and generate() are the same pure functions `connlab generate` runs, so what the preview
 * shows is what the zip holds is what the CLI writes.
 *
 * Only the recommendation is on the critical path. The generator loads and runs when the starter
 * project is about to be seen, the sandbox link's preset is encoded when the recommendation is, and the
 * previews are highlighted when they come into view: a reader who only answers the questions never
 * waits for the rest, and a phone paints the page without a long task.
 */
import {
  answersFromSearchParams,
  answersToSearchParams,
  choiceConstraints,
  decide,
  defaultAnswers,
  fitToConstraints,
  isAsked,
  parseAnswers,
  patternNames,
  questions,
  type Answers,
  type Reason,
  type Recommendation,
} from '../../wizard/index.ts';
import type { GenerateOptions, GeneratedFile } from '../../templates/index.ts';
import { highlight } from './highlight.ts';
import { formatNumber as count } from '../../lib/format-number.ts';

const storageKey = 'connlab:wizard-answers';

/** The generator and its templates are most of the wizard's code: loaded once, after the recommendation. */
let templates: Promise<typeof import('../../templates/index.ts')> | undefined;
const loadTemplates = () => (templates ??= import('../../templates/index.ts'));
/** The sandboxes' link format (zod and fflate): loaded for the first link to a sandbox, not with the questions. */
const loadShare = () => import('../../sandboxes/share.ts');

/** Resolves when the main thread has nothing more urgent (after the browser has painted). */
function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 50);
  });
}

/** Resolves in a new task, so the work before and after it are two tasks: a phone stays responsive between them. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves once the element is near the viewport (within `margin` of it): work for what the reader
 * has not reached waits.
 */
function whenNearView(target: Element, margin = '300px'): Promise<void> {
  return new Promise((resolve) => {
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        resolve();
      },
      { rootMargin: margin },
    );
    observer.observe(target);
  });
}

function element<T extends HTMLElement>(root: HTMLElement, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`wizard: missing ${selector}`);
  return found;
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Markdown's inline code, and nothing else of it: the README's steps put commands in backticks. */
function withCode(text: string): Node[] {
  return text.split('`').map((part, index) => (index % 2 ? make('code', part) : document.createTextNode(part)));
}

function storedAnswers(): Answers | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return undefined;
    const parsed = parseAnswers(JSON.parse(raw));
    return parsed.ok ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

function remember(answers: Answers): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(answers));
  } catch {
    // Without storage the answers still live in the URL.
  }
}

export function mountWizard(root: HTMLElement): void {
  const form = element<HTMLFormElement>(root, '[data-wizard-form]');
  const message = element<HTMLElement>(root, '[data-wizard-message]');
  const result = element<HTMLElement>(root, '[data-wizard-result]');
  const announce = element<HTMLElement>(root, '[data-wizard-announce]');
  const filesSection = element<HTMLElement>(root, '[data-wizard-files]');
  const tree = element<HTMLUListElement>(root, '[data-wizard-tree]');
  const preview = element<HTMLElement>(root, '[data-wizard-preview]');
  const fileName = element<HTMLElement>(root, '[data-wizard-file-name]');
  const filePurpose = element<HTMLElement>(root, '[data-wizard-file-purpose]');
  const nextSteps = element<HTMLOListElement>(root, '[data-wizard-next]');
  const bar = element<HTMLAnchorElement>(root, '[data-wizard-bar]');
  const barPattern = element<HTMLElement>(root, '[data-wizard-bar-pattern]');
  const barChanged = element<HTMLElement>(root, '[data-wizard-bar-changed]');
  const sandboxHomes: Record<string, { href: string; accepts: Record<string, { max?: number; choices?: string[] }> }> = JSON.parse(
    root.dataset.sandboxHomes ?? '{}',
  );

  let files: GeneratedFile[] = [];
  let purposes = new Map<string, string>();
  let selectedPath = '';
  let lastPattern = '';
  let shown: GenerateOptions | undefined;
  /** The files of the latest answers; the download and the copy wait for them. */
  let filesReady: Promise<void> = Promise.resolve();
  let filesRequest = 0;
  const previewNearView = whenNearView(preview);
  // Half a screen ahead: on a phone the project is several screens below the questions, and a reader
  // who scrolls to it finds it listed; Download waits for it either way.
  const filesNearView = whenNearView(filesSection, '50% 0px');
  const resultNearView = whenNearView(result);
  const partChoice = element<HTMLElement>(root, '[data-wizard-part]');

  // 1. Where the answers come from: a share link wins, then this browser's memory, then defaults.
  let answers = defaultAnswers;
  const query = new URLSearchParams(location.search);
  if ([...query.keys()].length > 0) {
    const fromLink = answersFromSearchParams(query);
    if (fromLink.ok) answers = fromLink.value;
    else {
      message.hidden = false;
      message.textContent = `This link's answers could not be used, so the wizard starts from ${storedAnswers() ? 'your last answers' : 'the defaults'}. ${fromLink.errors.join(' ')}`;
      answers = storedAnswers() ?? defaultAnswers;
    }
  } else {
    answers = storedAnswers() ?? defaultAnswers;
  }

  function writeForm(values: Answers): void {
    for (const question of questions) {
      const value = String(values[question.id]);
      if (question.kind === 'number') {
        const input = form.elements.namedItem(question.id) as HTMLInputElement;
        input.value = value;
      } else {
        for (const input of form.querySelectorAll<HTMLInputElement>(`input[name="${question.id}"]`)) input.checked = input.value === value;
      }
    }
  }

  /** Incompatible choices are disabled with the reason, never silently accepted; questions that do not apply are hidden. */
  function applyConstraints(values: Answers): void {
    for (const [id, constraint] of Object.entries(choiceConstraints(values))) {
      for (const input of form.querySelectorAll<HTMLInputElement>(`input[name="${id}"]`)) input.disabled = !constraint.allowed.includes(input.value);
      const note = root.querySelector<HTMLElement>(`[data-constraint="${id}"]`);
      if (note) {
        note.hidden = false;
        note.textContent = constraint.reason;
      }
    }
    for (const question of questions) {
      const fieldset = root.querySelector<HTMLElement>(`[data-question="${question.id}"]`);
      if (fieldset) fieldset.hidden = !isAsked(question, values);
    }
  }

  function readForm(): Answers | undefined {
    const data = new FormData(form);
    const record: Record<string, unknown> = {};
    for (const question of questions) {
      const value = data.get(question.id);
      record[question.id] = question.kind === 'number' ? Number(value) : value;
    }
    // A new engine can rule out the class; move it to one the engine offers, visibly.
    const fitted = fitToConstraints(record);
    if (fitted.instanceClass !== record.instanceClass) {
      for (const input of form.querySelectorAll<HTMLInputElement>('input[name="instanceClass"]')) input.checked = input.value === fitted.instanceClass;
    }
    const parsed = parseAnswers(fitted);
    if (!parsed.ok) {
      message.hidden = false;
      message.textContent = `Check your answers: ${parsed.errors.join(' ')}`;
      return undefined;
    }
    message.hidden = true;
    return parsed.value;
  }

  const list = (reasons: Reason[]) => {
    const items = make('ul');
    for (const reason of reasons) items.append(make('li', reason.text));
    return items;
  };
  const dollars = (n: number) => `$${n.toFixed(2)}`;

  function renderRecommendation(recommendation: Recommendation, values: Answers): void {
    const heading = element<HTMLElement>(result, 'h2');
    result.replaceChildren(heading);
    result.append(make('p', `Use ${patternNames[recommendation.pattern]}.`, 'pattern'));

    for (const contradiction of recommendation.contradictions) {
      const box = make('div', undefined, 'contradiction');
      box.append(make('strong', 'Your answers disagree. '), `${contradiction.message} ${contradiction.resolution}`);
      result.append(box);
    }

    result.append(make('h3', 'Why'));
    result.append(list(recommendation.reasons));

    if (recommendation.reads) {
      result.append(make('h3', `Reads: ${patternNames[recommendation.reads.pattern]}`));
      result.append(list(recommendation.reads.reasons));
    }

    if (recommendation.cautions.length) {
      result.append(make('h3', 'Watch out'));
      result.append(list(recommendation.cautions));
    }

    const budget = recommendation.budget;
    result.append(make('h3', 'The numbers'));
    const numbers = make('ul', undefined, 'budget');
    const lines = [
      budget.maxConnectionsBasis === 'acu-range'
        ? `max_connections for ${values.minAcu}–${values.maxAcu} ACUs (Aurora's table): ${count(budget.maxConnections)}.`
        : `max_connections for ${values.instanceClass}: ${count(budget.maxConnections)} (nominal: the formula on the class's full memory; RDS keeps some for itself, so SHOW max_connections on yours says less).`,
      ...(budget.otherConnections > 0 ? [`Held by other clients: ${count(budget.otherConnections)}.`] : []),
      `Direct connections you can budget for: ${count(budget.directBudget)}, half of what the ${count(budget.reservedConnections)} reserved slots${budget.otherConnections > 0 ? ' and the other clients' : ''} leave: during a deploy old and new execution environments hold connections side by side, and frozen environments keep theirs. At your peak a direct design opens ${count(budget.connectionsAtPeak)}.`,
      ...(recommendation.reservedConcurrency !== undefined ? [`Reserved concurrency to set: ${count(recommendation.reservedConcurrency)}.`] : []),
      ...(values.auth === 'iam' ? [`New connections per second when a burst starts: about ${count(recommendation.newConnectionsPerSecond)} (AWS advises fewer than 200 with IAM authentication).`] : []),
      `RDS Proxy's minimum charge: about ${dollars(recommendation.proxyMinimumMonthlyUsd)} a month; you can spend ${dollars(values.monthlySpendUsd)}.`,
    ];
    for (const line of lines) numbers.append(make('li', line));
    result.append(numbers);

    result.append(make('h3', 'Runner-up'));
    result.append(make('p', `${patternNames[recommendation.runnerUp.pattern]}: ${recommendation.runnerUp.why}`));

    if (recommendation.whatWouldChange.length) {
      result.append(make('h3', 'What would change this answer'));
      const list = make('ul');
      for (const item of recommendation.whatWouldChange) list.append(make('li', item));
      result.append(list);
    }

    // The sandbox that shows a pattern running carries the pattern's name, when the guide has one.
    const sandboxId = recommendation.pattern;
    const home = sandboxHomes[sandboxId];
    if (home) {
      // Preset what the sandbox can take: concurrency up to its maximum, the instance class if it offers it.
      const params: Record<string, number | string> = {};
      const presets: string[] = [];
      const concurrency = home.accepts.concurrency;
      if (concurrency?.max !== undefined) {
        params.concurrency = Math.min(recommendation.sandbox.concurrency, concurrency.max);
        presets.push(`${params.concurrency} concurrent callers`);
      }
      if (home.accepts.instanceClass?.choices?.includes(recommendation.sandbox.instanceClass)) {
        params.instanceClass = recommendation.sandbox.instanceClass;
        presets.push(recommendation.sandbox.instanceClass);
      }
      const link = make('a', 'Run this pattern with your numbers') as HTMLAnchorElement;
      // The sandbox itself until its preset is encoded, a moment later: the link is never dead and never
      // moves, and a click in that moment waits for the preset instead of dropping it.
      link.href = home.href;
      const encoded = resultNearView.then(loadShare).then(({ encodeSharedState }) => (link.href = `${home.href}${encodeSharedState({ sandbox: sandboxId, params })}`));
      link.addEventListener('click', (event) => {
        if (link.hash) return;
        event.preventDefault();
        void encoded.then(() => location.assign(link.href));
      });
      const paragraph = make('p');
      paragraph.append(link, ` (the ${sandboxId} sandbox${presets.length ? `, preset to ${presets.join(' on ')}` : ''}).`);
      result.append(paragraph);
    }
  }

  async function showFile(path: string): Promise<void> {
    const file = files.find((candidate) => candidate.path === path) ?? files[0];
    if (!file) return;
    selectedPath = file.path;
    for (const button of tree.querySelectorAll<HTMLButtonElement>('button')) {
      button.setAttribute('aria-current', String(button.dataset.path === file.path));
    }
    fileName.textContent = file.path;
    filePurpose.replaceChildren(...withCode(purposes.get(file.path) ?? ''));
    const fallback = make('pre');
    fallback.textContent = file.contents;
    preview.replaceChildren(fallback);
    // Shiki is the heaviest thing the wizard loads: it waits until the preview is about to be read.
    await previewNearView;
    if (selectedPath !== file.path) return;
    const highlighted = await highlight(file.contents, file.path);
    if (highlighted && selectedPath === file.path) preview.replaceChildren(highlighted);
  }

  function renderFiles(options: GenerateOptions, generated: GeneratedFile[], { projectFiles, deployInstructions }: Awaited<ReturnType<typeof loadTemplates>>): void {
    files = generated;
    purposes = new Map(projectFiles(options).map((file) => [file.path, file.purpose]));
    tree.replaceChildren(
      ...files.map((file, index) => {
        const item = make('li');
        const button = make('button', file.path) as HTMLButtonElement;
        button.type = 'button';
        button.dataset.path = file.path;
        button.addEventListener('click', () => void showFile(file.path));
        const purpose = make('span', undefined, 'purpose');
        purpose.id = `wizard-file-purpose-${index}`;
        purpose.append(...withCode(purposes.get(file.path) ?? ''));
        button.setAttribute('aria-describedby', purpose.id);
        item.append(button, purpose);
        return item;
      }),
    );
    nextSteps.replaceChildren(...deployInstructions(options).map((step) => {
      const item = make('li');
      item.append(...withCode(step));
      return item;
    }));
    root.querySelector('[data-wizard-files-loading]')?.remove();
    filesSection.hidden = false;
    void showFile(files.some((file) => file.path === selectedPath) ? selectedPath : (files.find((file) => /handler\.(ts|mjs|py)$/.test(file.path))?.path ?? files[0]?.path ?? ''));
  }

  /** Generates the project off the critical path; a newer answer supersedes a pending one. */
  function scheduleFiles(options: GenerateOptions): void {
    const request = ++filesRequest;
    filesReady = (async () => {
      await filesNearView;
      await whenIdle();
      const generator = await loadTemplates();
      // Evaluating the generator's module, generating the project and listing it are three tasks, not one.
      await nextTask();
      if (request !== filesRequest) return;
      try {
        const generated = generator.generate(options);
        await nextTask();
        if (request !== filesRequest) return;
        renderFiles(options, generated, generator);
      } catch (error) {
        filesSection.hidden = true;
        message.hidden = false;
        message.textContent = error instanceof Error ? error.message : String(error);
      }
    })();
  }

  function update(source: 'load' | 'input'): void {
    const read = source === 'load' ? answers : readForm();
    if (!read) return;
    answers = read;
    applyConstraints(answers);
    const recommendation = decide(answers);
    renderRecommendation(recommendation, answers);
    // With a split, the reader picks which project to see: the writes' queue or the reads' path.
    partChoice.hidden = !recommendation.reads;
    const readsLabel = root.querySelector<HTMLElement>('[data-wizard-part-reads]');
    if (readsLabel && recommendation.reads) readsLabel.textContent = `Reads: ${patternNames[recommendation.reads.pattern]}`;
    const wantsReads = partChoice.querySelector<HTMLInputElement>('input[value="reads"]')?.checked === true;
    shown = recommendation.reads && wantsReads ? recommendation.reads.generate : recommendation.generate;
    scheduleFiles(shown);
    const url = new URL(location.href);
    url.search = answersToSearchParams(answers).toString();
    history.replaceState(null, '', url);
    remember(answers);
    if (recommendation.pattern !== lastPattern) {
      announce.textContent = `Recommendation: ${patternNames[recommendation.pattern]}.`;
      // On a phone the recommendation is below the questions: the bar says it changed.
      barChanged.hidden = source === 'load';
      barPattern.textContent = patternNames[recommendation.pattern];
      lastPattern = recommendation.pattern;
    }
  }

  // The bar shows while the reader answers and the recommendation itself is out of view (phones only, by CSS).
  let formInView = false;
  let resultInView = false;
  const placeBar = () => {
    bar.hidden = !formInView || resultInView;
    if (resultInView) barChanged.hidden = true;
  };
  new IntersectionObserver((entries) => {
    formInView = entries.some((entry) => entry.isIntersecting);
    placeBar();
  }).observe(form);
  new IntersectionObserver((entries) => {
    resultInView = entries.some((entry) => entry.isIntersecting);
    placeBar();
  }).observe(result);
  bar.addEventListener('click', (event) => {
    // Focus moves with the view, so keyboard and screen-reader users land on the recommendation too.
    event.preventDefault();
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    result.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
    result.focus({ preventScroll: true });
  });

  element<HTMLButtonElement>(root, '[data-wizard-download]').addEventListener('click', async () => {
    await filesReady;
    const { zipProject } = await loadTemplates();
    const zip = zipProject(files);
    const blob = new Blob([zip as BlobPart], { type: 'application/zip' });
    const link = make('a') as HTMLAnchorElement;
    link.href = URL.createObjectURL(blob);
    link.download = `${shown?.pattern ?? decide(answers).pattern}-starter.zip`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  });

  const copyWithFeedback = async (button: HTMLButtonElement, text: string, done: string) => {
    const original = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = done;
    } catch {
      button.textContent = 'Copy failed: select and copy by hand';
    }
    announce.textContent = button.textContent ?? '';
    setTimeout(() => (button.textContent = original), 2000);
  };
  const shareButton = element<HTMLButtonElement>(root, '[data-wizard-share]');
  shareButton.addEventListener('click', () => void copyWithFeedback(shareButton, location.href, 'Link copied'));
  const copyFileButton = element<HTMLButtonElement>(root, '[data-wizard-copy-file]');
  copyFileButton.addEventListener('click', () => {
    const file = files.find((candidate) => candidate.path === selectedPath);
    if (file) void copyWithFeedback(copyFileButton, file.contents, 'Copied');
  });

  form.addEventListener('input', () => update('input'));
  partChoice.addEventListener('change', () => update('input'));
  form.addEventListener('submit', (event) => event.preventDefault());
  root.querySelector('[data-wizard-loading]')?.remove();
  // Shown by the script, not the markup: without JavaScript there is no project to list.
  filesSection.hidden = false;
  writeForm(answers);
  update('load');
  root.dataset.ready = 'true';
}
