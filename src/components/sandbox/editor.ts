/**
 * The handler editor: CodeMirror 6 with JavaScript/TypeScript highlighting, line numbers, undo,
 * and the syntax error shown at its line and column. It is the heavy part of a sandbox, so pages load
 * it on demand (code-source.ts) and show the static code (code-view.ts) until then. Tokens get `tok-*` classes so the
 * site's light and dark themes colour them. Tab indents; Escape then Tab moves focus on, the way
 * CodeMirror documents for keyboard users.
 */
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, type DecorationSet } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab, undo } from '@codemirror/commands';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { javascriptLanguage, typescriptLanguage } from '@codemirror/lang-javascript';
import { classHighlighter } from '@lezer/highlight';
import type { SourcePosition } from './protocol.ts';

/**
 * CodeMirror injects its styles as <style> elements in a document, which the page's
 * Content-Security-Policy forbids; inside a shadow root it uses constructed stylesheets instead,
 * which CSP does not govern. So each editor lives in a shadow root, styled from the page's tokens
 * (custom properties cross the shadow boundary). CodeMirror's base theme is always its light one and
 * scopes its rules under the editor (`.ͼ2 .cm-activeLine`), so the colours here that must follow the
 * page's theme, and the font and line height the static code (code-view.ts) shares, are scoped as
 * strongly (`.cm-editor …`); the later sheet then wins.
 */
const editorCss = `
:host { display: block; }
:host([hidden]) { display: none; }
.cm-editor { font-size: 0.85rem; background: var(--bg); color: var(--fg); }
.cm-editor.cm-focused { outline: 3px solid var(--focus); outline-offset: -3px; }
.cm-editor .cm-scroller { font-family: var(--font-mono); line-height: 1.55; }
.cm-content { caret-color: var(--fg); }
.cm-editor .cm-cursor, .cm-editor .cm-dropCursor { border-left-color: var(--fg); }
.cm-editor .cm-gutters { background: var(--bg-soft); color: var(--fg-muted); border-right: 1px solid var(--border); }
.cm-editor .cm-activeLine { background: color-mix(in srgb, var(--accent-soft) 55%, transparent); }
.cm-editor .cm-activeLineGutter { background: var(--accent-soft); }
.cm-selectionBackground, .cm-focused .cm-selectionBackground { background: color-mix(in srgb, var(--accent) 25%, transparent) !important; }
.cm-syntax-error { text-decoration: underline wavy var(--danger); text-decoration-skip-ink: none; background: color-mix(in srgb, var(--danger) 18%, transparent); }
.cm-editor .cm-panels { background: var(--bg-soft); color: var(--fg); }
.cm-panels input, .cm-panels button { font: inherit; color: inherit; }
.tok-keyword, .tok-operatorKeyword, .tok-modifier { color: var(--tok-keyword); }
.tok-string, .tok-string2, .tok-regexp { color: var(--tok-string); }
.tok-comment { color: var(--tok-comment); font-style: italic; }
.tok-number, .tok-bool, .tok-atom, .tok-null { color: var(--tok-number); }
.tok-variableName.tok-definition, .tok-function, .tok-propertyName.tok-definition { color: var(--tok-function); }
.tok-typeName, .tok-className, .tok-namespace { color: var(--tok-type); }
.cm-mergeView .cm-changedLine, .cm-merge-b .cm-changedLine { background: color-mix(in srgb, var(--ok) 14%, transparent); }
.cm-merge-a .cm-changedLine { background: color-mix(in srgb, var(--danger) 14%, transparent); }
`;

let sheet: CSSStyleSheet | undefined;

/**
 * The syntax error, marked where the compiler points. A mark of our own instead of
 * @codemirror/lint: the message is shown beside the editor, so the lint panel and tooltips would
 * only add weight before Run.
 */
const setSyntaxError = StateEffect.define<{ from: number; to: number } | null>();
const syntaxErrorMark = Decoration.mark({ class: 'cm-syntax-error', attributes: { 'aria-invalid': 'true' } });
const syntaxErrorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = marks.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (effect.is(setSyntaxError)) next = effect.value ? Decoration.set([syntaxErrorMark.range(effect.value.from, effect.value.to)]) : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** A shadow root under `parent` with the editor styles, and the element to mount into. */
function shadowMount(parent: HTMLElement): { root: ShadowRoot; mount: HTMLElement } {
  const host = document.createElement('div');
  parent.append(host);
  const root = host.attachShadow({ mode: 'open' });
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(editorCss);
  }
  root.adoptedStyleSheets = [sheet];
  const mount = document.createElement('div');
  root.append(mount);
  return { root, mount };
}

export interface HandlerEditor {
  readonly view: EditorView;
  /** The element the editor lives in (the host of its shadow root), appended to `parent`. */
  readonly element: HTMLElement;
  text(): string;
  /** Replaces the text as one undoable change. */
  replace(text: string): void;
  undo(): boolean;
  /** Marks where the compiler points; the message itself is shown beside the editor. */
  showError(position: SourcePosition | undefined): void;
  clearError(): void;
  /**
   * Shows `base` (the original, unless labelled otherwise) beside the editor's text; the diff view
   * loads on first use. Resolves to its closer.
   */
  compare(base: string, parent: HTMLElement, labels?: { base: string; current: string }): Promise<() => void>;
}

/** The grammar alone: completion and search would add about 10 KB (gzip) before Run for little use here. */
function languageFor(fileName: string): Extension {
  return /\.(m|c)?ts$/.test(fileName) ? typescriptLanguage : javascriptLanguage;
}

const baseExtensions = (fileName: string, label: string): Extension[] => [
  lineNumbers(),
  highlightActiveLineGutter(),
  history(),
  drawSelection(),
  indentOnInput(),
  bracketMatching(),
  highlightActiveLine(),
  syntaxHighlighting(classHighlighter),
  // Handlers are short: the editor grows with its text and wraps long lines, so it never becomes a
  // scrolling region of its own (which keyboard users would first have to focus) and fits 360 px.
  EditorView.lineWrapping,
  languageFor(fileName),
  EditorView.contentAttributes.of({ 'aria-label': label }),
];

export function createEditor(options: {
  parent: HTMLElement;
  text: string;
  fileName: string;
  label: string;
  /** More CodeMirror extensions for this editor (the sandbox adds the doctor's lint: doctor-lint.ts). */
  extensions?: Extension[];
  onChange(text: string): void;
  onRun(): void;
}): HandlerEditor {
  const run = () => {
    options.onRun();
    return true;
  };
  const { root, mount } = shadowMount(options.parent);
  const view = new EditorView({
    parent: mount,
    root,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        ...baseExtensions(options.fileName, options.label),
        syntaxErrorField,
        ...(options.extensions ?? []),
        keymap.of([{ key: 'Mod-Enter', run, preventDefault: true }, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    element: root.host as HTMLElement,
    text: () => view.state.doc.toString(),
    replace(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    undo: () => undo(view),
    showError(position) {
      const doc = view.state.doc;
      let from = 0;
      if (position) {
        const line = doc.line(Math.min(Math.max(position.line, 1), doc.lines));
        from = Math.min(line.from + Math.max(position.column - 1, 0), line.to);
      }
      const to = Math.min(from + 1, doc.length);
      view.dispatch({ effects: setSyntaxError.of(to > from ? { from, to } : null) });
    },
    clearError() {
      view.dispatch({ effects: setSyntaxError.of(null) });
    },
    async compare(base, parent, labels = { base: 'the original handler', current: 'your handler' }) {
      const { MergeView } = await import('@codemirror/merge');
      const target = shadowMount(parent);
      const label = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
      const merge = new MergeView({
        a: { doc: base, extensions: [...baseExtensions(options.fileName, label(labels.base)), EditorState.readOnly.of(true)] },
        b: { doc: view.state.doc.toString(), extensions: [...baseExtensions(options.fileName, label(labels.current)), EditorState.readOnly.of(true)] },
        parent: target.mount,
        root: target.root,
        gutter: true,
        highlightChanges: true,
      });
      return () => merge.destroy();
    },
  };
}
