/**
 * The handler's code, wherever it lives: the static block the page was built with (code-view.ts)
 * until the reader focuses it, clicks it, types or pastes in it, then the editor (editor.ts), loaded on demand. Run, share, saved edits, reset, the
 * comparison and the variants read and replace the code here, whether or not the editor has loaded.
 * CodeMirror and the connection doctor's lint (doctor-lint.ts) are most of a sandbox's JavaScript;
 * a reader who only reads never downloads them.
 */
import type { Extension } from '@codemirror/state';
import type { HandlerEditor } from './editor.ts';
import type { SourcePosition } from './protocol.ts';
import { plainLines, staticCodeHtml, staticOffset, staticText } from './code-view.ts';

export interface CodeSource {
  text(): string;
  /** Replaces the code: one undoable change in the editor; before it, the static block shows `text`. */
  replace(text: string): void;
  /** The editor, loading it if it has not loaded yet. */
  editor(): Promise<HandlerEditor>;
  /** The element that shows the code now (the static block or the editor's). */
  element(): HTMLElement;
  focus(): void;
  /** Marks where the compiler points, in the editor (the message itself is shown beside the code). */
  showError(position: SourcePosition | undefined): void;
  clearError(): void;
}

export interface CodeSourceOptions {
  /** The static block, as the page was built. */
  block: HTMLElement;
  text: string;
  /** Code the build highlighted (each variant's original) and its markup: shown as is before the editor loads. */
  highlighted: ReadonlyMap<string, string>;
  fileName: string;
  label: string;
  /**
   * The editor's extensions beyond its own, loaded with it: by default the connection doctor's lint
   * (doctor-lint.ts); the doctor's page brings its own lint, which knows the reader's deployment.
   */
  extensions?: () => Promise<Extension[]>;
  /** Told once the editor has taken the static block's place (the doctor's page then marks its findings in it). */
  onLoad?(editor: HandlerEditor): void;
  onChange(text: string): void;
  onRun(): void;
}

export function createCodeSource(options: CodeSourceOptions): CodeSource {
  const { block } = options;
  let staticCode = options.text;
  let loaded: HandlerEditor | undefined;
  let loading: Promise<HandlerEditor> | undefined;
  let pendingError: SourcePosition | undefined;
  // What the reader typed into the static block before the editor was there to take it.
  let typed = '';

  const showStatic = (text: string) => {
    staticCode = text;
    const markup = options.highlighted.get(text);
    block.innerHTML = markup ?? staticCodeHtml(plainLines(text));
    // The reader's own code was never highlighted: the editor colours it, so it loads now.
    if (markup === undefined) void load();
  };

  /** The editor takes the static block's place; a reader who was in the block carries on in the editor where they were. */
  function swapIn(editor: HandlerEditor): void {
    const hadFocus = document.activeElement === block;
    const selection = document.getSelection();
    const at = selection?.anchorNode && block.contains(selection.anchorNode) ? staticOffset(block, selection.anchorNode, selection.anchorOffset) : undefined;
    editor.element.removeAttribute('style');
    block.remove();
    if (pendingError) editor.showError(pendingError);
    if (!hadFocus) return;
    editor.view.focus();
    editor.view.dispatch({ selection: { anchor: Math.min(at ?? 0, editor.view.state.doc.length) } });
    if (typed) editor.view.dispatch(editor.view.state.replaceSelection(typed), { userEvent: 'input.type' });
    typed = '';
  }

  function load(): Promise<HandlerEditor> {
    // The doctor comes with the editor: its findings are about the code the reader edits.
    const extensions = options.extensions ?? (() => import('./doctor-lint.ts').then(({ doctorLint }) => doctorLint(options.fileName)));
    loading ??= Promise.all([import('./editor.ts'), extensions()]).then(async ([{ createEditor }, extensions]) => {
      const { fileName, label, onChange, onRun } = options;
      const editor = createEditor({ parent: block.parentElement!, text: staticCode, fileName, label, extensions, onChange, onRun });
      loaded = editor;
      // Laid out over the static block but unseen until CodeMirror has measured it (in the frame it
      // asked for, whose callback runs before ours), so it appears whole, in the same place.
      editor.element.style.cssText = 'position: absolute; inset: 0 0 auto 0; visibility: hidden';
      await new Promise((resolve) => requestAnimationFrame(resolve));
      swapIn(editor);
      options.onLoad?.(editor);
      return editor;
    });
    return loading;
  }

  block.addEventListener('focus', () => void load());
  block.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.length === 1) typed += event.key;
    else if (event.key !== 'Enter') return;
    // Enter opens the editor; a character waits for it. Neither scrolls the page or is lost.
    event.preventDefault();
    void load();
  });
  // A paste (the doctor's page is mostly pasted into) waits for the editor as typed characters do.
  block.addEventListener('paste', (event) => {
    typed += event.clipboardData?.getData('text/plain') ?? '';
    event.preventDefault();
    void load();
  });

  // Nothing loads for a reader who scrolls past or only reads, however long they stay: a preload on idle
  // or on hover (which scrolling under a still mouse triggers) would spend their budget for them.
  if (document.activeElement === block) void load();
  // The page shows the first variant's original; a share link or the reader's saved edits may say otherwise.
  if (staticText(block) !== options.text) showStatic(options.text);

  return {
    text: () => loaded?.text() ?? staticCode,
    replace(text) {
      if (loaded) loaded.replace(text);
      else showStatic(text);
    },
    editor: load,
    element: () => loaded?.element ?? block,
    focus() {
      if (loaded) loaded.view.focus();
      else block.focus();
    },
    showError(position) {
      if (loaded) loaded.showError(position);
      else pendingError = position;
    },
    clearError() {
      pendingError = undefined;
      loaded?.clearError();
    },
  };
}
