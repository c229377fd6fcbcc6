/**
 * The corpus (tests/doctor/corpus/, README there): on every file the doctor reports exactly what the
 * file's comments say it reports (expect and spurious) and nothing else; what it misses is marked too
 * and counts against the recall `npm run bench` prints.
 */
import { describe, expect, it } from 'vitest';
import { readCorpus, score } from '../../scripts/lib/doctor-corpus.ts';

const corpus = readCorpus();

describe('the doctor on its corpus', () => {
  it('holds at least 40 handlers, each citing the public report it was modelled on, in JavaScript, TypeScript and Python', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    for (const file of corpus) expect(file.report, file.file).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(issues|pull)\/\d+/);
    const extensions = new Set(corpus.map((file) => file.file.split('.').pop()));
    for (const extension of ['js', 'mjs', 'ts', 'py']) expect(extensions).toContain(extension);
  });

  it.each(corpus.map((file) => [file.file, file] as const))('%s: the marked findings, no other', (_name, file) => {
    expect(file.found).toEqual([...file.expected, ...file.spurious].sort());
  });

  it('scores as the marks say: every miss is marked, every report is marked', () => {
    const { falseNegatives, falsePositives, truePositives } = score(corpus);
    expect(falseNegatives).toBe(corpus.reduce((n, file) => n + file.missed.length, 0));
    expect(falsePositives).toBe(corpus.reduce((n, file) => n + file.spurious.length, 0));
    expect(truePositives).toBeGreaterThan(60);
  });
});
