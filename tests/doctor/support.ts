/** Findings of one rule on a snippet, as `line: message` strings, for the rule tests. */
import { analyze, type AnalyzeOptions } from '../../src/doctor/analyze.ts';
import type { Language } from '../../src/doctor/model.ts';

export function hits(rule: string, code: string, language: Language = 'javascript', options: AnalyzeOptions = {}): string[] {
  return analyze(code, language, options)
    .findings.filter((finding) => finding.rule === rule)
    .map((finding) => `${finding.place.line}: ${finding.message}`);
}

/** The lines a rule reports, when the message is not the point of the test. */
export const lines = (rule: string, code: string, language: Language = 'javascript', options: AnalyzeOptions = {}): number[] =>
  hits(rule, code, language, options).map((hit) => Number(hit.split(':')[0]));
