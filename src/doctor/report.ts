/**
 * The doctor's findings over several files, in the three shapes `connlab doctor --format` prints:
 * text as compilers print it, JSON, and SARIF 2.1.0 for GitHub code scanning. Pure: paths are the
 * reader's, as given, and nothing here touches a file system.
 */
import type { RuleText, Severity, Finding } from './rule.ts';
import { rules } from './rules/index.ts';

export interface FileFindings {
  /** The path as the reader gave it (or as found under a folder they gave), with forward slashes. */
  path: string;
  findings: Finding[];
}

export const chapterPath = (rule: RuleText): string => `/guide/${rule.chapter}/`;

const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
const textOf = (id: string): RuleText => ruleById.get(id)!;

export interface Totals {
  files: number;
  error: number;
  warning: number;
  info: number;
}

export function totals(files: readonly FileFindings[]): Totals {
  const count: Totals = { files: files.length, error: 0, warning: 0, info: 0 };
  for (const file of files) for (const finding of file.findings) count[finding.severity]++;
  return count;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatText(files: readonly FileFindings[]): string {
  const lines: string[] = [];
  for (const { path, findings } of files) {
    for (const finding of findings) {
      const rule = textOf(finding.rule);
      lines.push(`${path}:${finding.place.line}:${finding.place.column}  ${finding.severity}  ${finding.rule}  ${finding.message}`);
      lines.push(`    why: ${rule.why}`);
      lines.push(`    fix: ${rule.fix}`);
      lines.push(`    see: ${chapterPath(rule)}${rule.sandbox ? ` (sandbox ${rule.sandbox})` : ''}`);
    }
  }
  const count = totals(files);
  const found = count.error + count.warning + count.info;
  lines.push(
    found === 0
      ? `${plural(count.files, 'file')} checked: no findings.`
      : `${plural(count.files, 'file')} checked: ${plural(count.error, 'error')}, ${plural(count.warning, 'warning')}, ${count.info} information.`,
  );
  return lines.join('\n');
}

export function formatJson(files: readonly FileFindings[]): string {
  const findings = files.flatMap(({ path, findings }) =>
    findings.map((finding) => {
      const rule = textOf(finding.rule);
      const { line, column, endLine, endColumn } = finding.place;
      return { path, line, column, endLine, endColumn, severity: finding.severity, rule: finding.rule, message: finding.message, why: rule.why, fix: rule.fix, chapter: chapterPath(rule), ...(rule.sandbox ? { sandbox: rule.sandbox } : {}) };
    }),
  );
  return JSON.stringify({ files: files.map((file) => file.path), findings, totals: totals(files) }, null, 2);
}

const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative path as a SARIF artifact URI: forward slashes, each segment percent-encoded. */
const artifactUri = (path: string): string => path.split('/').map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment))).join('/');

export function formatSarif(files: readonly FileFindings[], toolVersion: string): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'connlab doctor',
            semanticVersion: toolVersion,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.why },
              help: { text: `${rule.fix}\nChapter: ${chapterPath(rule)}${rule.sandbox ? ` (sandbox ${rule.sandbox})` : ''}` },
              defaultConfiguration: { level: sarifLevel[rule.severity] },
              properties: { chapter: chapterPath(rule), ...(rule.sandbox ? { sandbox: rule.sandbox } : {}) },
            })),
          },
        },
        artifacts: files.map((file) => ({ location: { uri: artifactUri(file.path), uriBaseId: '%SRCROOT%' } })),
        results: files.flatMap((file, artifactIndex) =>
          file.findings.map((finding) => ({
            ruleId: finding.rule,
            ruleIndex: ruleIndex.get(finding.rule)!,
            level: sarifLevel[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(file.path), uriBaseId: '%SRCROOT%', index: artifactIndex },
                  region: { startLine: finding.place.line, startColumn: finding.place.column, endLine: finding.place.endLine, endColumn: finding.place.endColumn },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
