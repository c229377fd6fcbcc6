#!/usr/bin/env node
/**
 * `npm run bench`: figures measured side by side in one run, printed as tables. It never fails on a
 * number (budgets are enforced by tests); it reports. Sections:
 *   - page weight: what each built page ships (needs `npm run build` first);
 *   - every module in scripts/bench/ exporting `default async () => { title, columns, rows, notes? }`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { measureSite, readingPageBudgetGzip, sandboxPageBudgetGzip } from './lib/page-weight.mjs';

const root = new URL('..', import.meta.url).pathname;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function printTable({ title, columns, rows, notes = [] }) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const note of notes) console.log(`  ${note}`);
}

const dist = join(root, 'dist');
if (existsSync(join(dist, 'index.html'))) {
  const pages = measureSite(dist);
  printTable({
    title: 'Page weight (built site, gzip level 9)',
    columns: ['page', 'HTML gz', 'JS files', 'JS gz', 'JS before Run gz', 'CSS gz', 'total gz'],
    rows: pages.map((p) => [p.page, kb(p.html.gzip), `${p.js.files}+${p.jsBeforeRun.files - p.js.files}`, kb(p.js.gzip), kb(p.jsBeforeRun.gzip), kb(p.css.gzip), kb(p.totalGzip)]),
    notes: [
      'JS: loads with the page. JS before Run: plus the islands, which load as they scroll into view (files: initial+lazy).',
      `Budgets: a reading page ${kb(readingPageBudgetGzip)} of JavaScript before Run; a page with a sandbox ${kb(sandboxPageBudgetGzip)} (PGlite and pg load on Run).`,
    ],
  });
} else {
  console.log('\nPage weight: skipped, dist/ is missing (run `npm run build` first).');
}

const benchDir = join(root, 'scripts', 'bench');
const modules = existsSync(benchDir) ? readdirSync(benchDir).filter((f) => /\.(mjs|ts)$/.test(f)).sort() : [];
for (const file of modules) {
  const { default: bench } = await import(join(benchDir, file));
  const sections = [].concat(await bench());
  for (const section of sections) printTable(section);
}
