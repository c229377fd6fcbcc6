/**
 * The doctor page's part of the editor, loaded with the editor (sandbox/code-source.ts) and never
 * before it: the chosen language in place of the editor's own, and the lint gutter, keys and tooltip
 * that show the page's findings in the code. The page itself (page.ts) holds no CodeMirror, so a
 * reader who has not touched the code yet has not paid for it.
 */
import { Compartment, Prec, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { lintGutter, lintKeymap, setDiagnostics, type Action } from '@codemirror/lint';
import { javascriptLanguage, typescriptLanguage } from '@codemirror/lang-javascript';
import { pythonLanguage } from '@codemirror/lang-python';
import type { Language } from '../../doctor/model.ts';
import type { Finding } from '../../doctor/rule.ts';
import { toDiagnostic } from '../sandbox/doctor-lint.ts';

const grammars: Record<Language, Extension> = { javascript: javascriptLanguage, typescript: typescriptLanguage, python: pythonLanguage };

/** The lint tooltip in the page's colours (the lint package's own theme is light only). */
const lintTheme = EditorView.theme({
  '.cm-tooltip': { backgroundColor: 'var(--bg-soft)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  '.cm-diagnostic-info': { borderLeftColor: 'var(--accent)' },
  '.cm-diagnosticAction': { backgroundColor: 'var(--accent)', color: 'var(--bg)' },
});

/** The page has one editor, so one slot for its language. */
const languageSlot = new Compartment();

/** The editor's own language gives way to the chosen one; the doctor's findings go to the lint gutter. */
export const doctorEditorExtensions = (language: Language): Extension[] => [languageSlot.of(Prec.highest(grammars[language])), lintGutter(), keymap.of(lintKeymap), lintTheme];

export function setEditorLanguage(view: EditorView, language: Language): void {
  view.dispatch({ effects: languageSlot.reconfigure(Prec.highest(grammars[language])) });
}

/** Marks the findings in the code, each with its one-click fix (`fix`) where the rule offers one. */
export function showFindings(view: EditorView, findings: Finding[], fix: (finding: Finding) => Action | undefined): void {
  const length = view.state.doc.length;
  const diagnostics = findings.map((finding) => {
    const action = fix(finding);
    return toDiagnostic(finding, length, { message: finding.message, ...(action ? { actions: [action] } : {}) });
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
