/**
 * The doctor's corpus (tests/doctor/corpus/) read and scored: each file's own comments say which
 * findings a careful reviewer expects on which line (README there), and the doctor's findings are
 * compared with them. Shared by the corpus test, which holds the doctor to the files, and by
 * `npm run bench`, which prints precision and recall.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, languageOf } from '../../src/doctor/analyze.ts';
import type { Deployment } from '../../src/doctor/rule.ts';

export const corpusDir = join(import.meta.dirname, '../../tests/doctor/corpus');

/** A finding as the corpus names it: `file:line rule`. */
export type Mark = string;

export interface CorpusFile {
  file: string;
  /** The source the file was modelled on (its first line). */
  report: string;
  deployment: Deployment;
  /** Real problems the doctor reports. */
  expected: Mark[];
  /** Real problems the doctor does not report. */
  missed: Mark[];
  /** Reports that are wrong. */
  spurious: Mark[];
  /** What the doctor reports today. */
  found: Mark[];
  /** The command-line options that give this deployment. */
  flags: string[];
}

const MARK = /(?:\/\/|#)\s*(expect|missed|spurious):\s*(.+)$/;
const FLAGS = /^(?:\/\/|#)\s*doctor:\s*(.+)$/m;
const REPORT = /^(?:\/\/|#)\s*Modelled on (https:\/\/\S+)/;

function ruleIds(text: string): string[] {
  return text
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

export function readCorpus(): CorpusFile[] {
  return readdirSync(corpusDir)
    .filter((file) => languageOf(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(corpusDir, file), 'utf8');
      const flags = FLAGS.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
      const flag = (name: string) => {
        const at = flags.indexOf(`--${name}`);
        return at >= 0 ? Number(flags[at + 1]) : undefined;
      };
      const deployment: Deployment = {
        proxy: flags.includes('--proxy'),
        ...(flag('concurrency') !== undefined ? { concurrency: flag('concurrency')! } : {}),
        ...(flag('max-connections') !== undefined ? { maxConnections: flag('max-connections')! } : {}),
      };
      const marks: Record<'expect' | 'missed' | 'spurious', Mark[]> = { expect: [], missed: [], spurious: [] };
      text.split('\n').forEach((line, index) => {
        const mark = MARK.exec(line);
        if (mark) for (const rule of ruleIds(mark[2]!)) marks[mark[1] as keyof typeof marks].push(`${file}:${index + 1} ${rule}`);
      });
      const { findings } = analyze(text, languageOf(file)!, deployment);
      return {
        file,
        report: REPORT.exec(text)?.[1] ?? '',
        deployment,
        expected: marks.expect.sort(),
        missed: marks.missed.sort(),
        spurious: marks.spurious.sort(),
        found: findings.map((f) => `${file}:${f.place.line} ${f.rule}`).sort(),
        flags,
      };
    });
}

export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

/** Against what a reviewer marked as real (expect and missed): what the doctor found right, wrongly, and not at all. */
export function score(files: readonly CorpusFile[]): Score {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const file of files) {
    const real = new Set([...file.expected, ...file.missed]);
    const found = new Set(file.found);
    for (const mark of found) if (real.has(mark)) truePositives++;
    else falsePositives++;
    for (const mark of real) if (!found.has(mark)) falseNegatives++;
  }
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    precision: truePositives / (truePositives + falsePositives),
    recall: truePositives / (truePositives + falseNegatives),
  };
}
