/**
 * The connection doctor on its corpus (tests/doctor/corpus/): precision and recall against what the
 * files mark as real problems, per rule and overall, and the time it takes to read them.
 */
import { performance } from 'node:perf_hooks';
import { readCorpus, score, type CorpusFile } from '../lib/doctor-corpus.ts';

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a');

export default async function bench() {
  const start = performance.now();
  const corpus = readCorpus();
  const ms = performance.now() - start;
  const overall = score(corpus);
  const ruleOf = (mark: string) => mark.split(' ')[1]!;
  const rules = [...new Set(corpus.flatMap((file) => [...file.expected, ...file.missed, ...file.found].map(ruleOf)))].sort();
  const only = (rule: string): CorpusFile[] =>
    corpus.map((file) => {
      const keep = (marks: string[]) => marks.filter((mark) => ruleOf(mark) === rule);
      return { ...file, expected: keep(file.expected), missed: keep(file.missed), spurious: keep(file.spurious), found: keep(file.found) };
    });
  const rows = rules.map((rule) => {
    const s = score(only(rule));
    return [rule, s.truePositives, s.falsePositives, s.falseNegatives, percent(s.precision), percent(s.recall)];
  });
  rows.push(['all rules', overall.truePositives, overall.falsePositives, overall.falseNegatives, percent(overall.precision), percent(overall.recall)]);
  return {
    title: `Connection doctor on its corpus: ${corpus.length} handlers (${corpus.filter((f) => f.file.endsWith('.py')).length} Python), read and checked in ${Math.round(ms)} ms`,
    columns: ['rule', 'found right', 'found wrongly', 'missed', 'precision', 'recall'],
    rows,
    notes: [
      'Each corpus file is modelled on a public issue report and marks on its lines what a reviewer would flag (expect), what the doctor misses (missed) and what it reports wrongly (spurious).',
      'The misses are drivers the doctor does not read (Knex, postgres.js, asyncpg).',
      'The corpus was written with the rules, so these figures bound the doctor on patterns it was meant to find, not on code in the wild.',
    ],
  };
}
