/**
 * The connection doctor (src/doctor) in the editor: its findings as the reader types, marked in the
 * lint gutter and under the code, each with the rule's why and the chapter that shows it. It loads
 * with the editor, never with a page. Findings only inform: nothing here stops a Run.
 */
import { lintGutter, linter, type Diagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { analyze, languageOf, type AnalyzeOptions } from '../../doctor/analyze.ts';
import type { Finding } from '../../doctor/rule.ts';
import { rules } from '../../doctor/rules/index.ts';

const ruleById = new Map(rules.map((rule) => [rule.id, rule]));

/** How long typing must pause before the handler is read again. */
const typingPauseMs = 300;

/**
 * A finding as the editor marks it: its place, held inside the text (a finding may be of a text edited
 * since) and never empty-backwards, its severity and its rule; `detail` is the message (and any
 * actions) the page shows with it.
 */
export function toDiagnostic(finding: Finding, length: number, detail: Pick<Diagnostic, 'message' | 'actions'> = { message: finding.message }): Diagnostic {
  return {
    from: Math.min(finding.place.from, length),
    to: Math.min(Math.max(finding.place.to, finding.place.from), length),
    severity: finding.severity,
    source: `doctor: ${finding.rule}`,
    ...detail,
  };
}

/** The lint extensions for a handler file; `options` says where it runs (a proxy, the concurrency), as `connlab doctor` takes them. */
export function doctorLint(fileName: string, options: AnalyzeOptions = {}): Extension[] {
  const language = languageOf(fileName) ?? 'javascript';
  return [
    linter(
      (view) =>
        analyze(view.state.doc.toString(), language, options).findings.map((finding) => {
          const rule = ruleById.get(finding.rule);
          return toDiagnostic(finding, view.state.doc.length, { message: rule ? `${finding.message}. ${rule.why}` : finding.message });
        }),
      { delay: typingPauseMs },
    ),
    lintGutter(),
  ];
}
