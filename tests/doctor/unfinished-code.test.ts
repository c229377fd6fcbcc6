/**
 * The page will run the doctor on every keystroke, so it must survive code that is half written: every
 * corpus file cut at many points, and noise, analyse without throwing.
 */
import { describe, expect, it } from 'vitest';
import { analyze, languageOf } from '../../src/doctor/analyze.ts';
import { readCorpus, corpusDir } from '../../scripts/lib/doctor-corpus.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the doctor on unfinished code', () => {
  it('analyses every corpus file cut at 40 points, and with a line doubled, without throwing', () => {
    let runs = 0;
    for (const { file } of readCorpus()) {
      const text = readFileSync(join(corpusDir, file), 'utf8');
      const language = languageOf(file)!;
      for (let i = 1; i <= 40; i++) {
        const cut = Math.floor((text.length * i) / 41);
        expect(() => analyze(text.slice(0, cut), language, { proxy: true, concurrency: 10, maxConnections: 5 }), `${file} cut at ${cut}`).not.toThrow();
        const lines = text.split('\n');
        lines.splice(i % lines.length, 0, lines[(i * 7) % lines.length]!);
        expect(() => analyze(lines.join('\n'), language), `${file} line doubled`).not.toThrow();
        runs += 2;
      }
    }
    expect(runs).toBeGreaterThan(3000);
  });

  it('survives noise and deep nesting', () => {
    for (const language of ['javascript', 'typescript', 'python'] as const) {
      for (const text of ['', ')))(((', 'new pg.Pool({'.repeat(500), '['.repeat(5000), 'def (:\n  \tx', '`${`${`${', '\u0000\uffff']) {
        expect(() => analyze(text, language), `${language} ${JSON.stringify(text.slice(0, 20))}`).not.toThrow();
      }
    }
  });
});
