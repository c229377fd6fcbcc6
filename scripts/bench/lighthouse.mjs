/**
 * Lighthouse (mobile: its default emulated phone, slow 4G and 4× CPU slowdown) on every built page,
 * in Debian's Chromium, against the site served as a host would serve it (compression, _headers).
 * Issue 15's bar: performance ≥ 95, accessibility, best practices and SEO 100, layout shift < 0.05
 * and total blocking time < 200 ms on every page. It reports; tests enforce the budgets they can.
 * LIGHTHOUSE_PAGES=/wizard/,/doctor/ measures only those pages (a run over every page takes minutes).
 *
 * Each page is measured LIGHTHOUSE_RUNS times (3 unless set) and reported by its median run, with the
 * spread of the performance score beside it: one build's single runs of the same page scored from 85
 * to 97 here, so a single run can neither show nor refute the bar.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { createSiteServer } from '../lib/static-server.mjs';

const root = new URL('../../', import.meta.url).pathname;
const dist = join(root, 'dist');

/** Every page of the built site, as the path a reader opens. */
function pagePaths(dir = dist) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pagefind' || name.startsWith('_') ? [] : pagePaths(path);
    return name === 'index.html' ? [`/${relative(dist, dir)}${dir === dist ? '' : '/'}`] : [];
  });
}

const score = (category) => Math.round((category?.score ?? 0) * 100);

/** The run whose performance score is the median of the runs (the lower middle one of an even count). */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => score(a.categories.performance) - score(b.categories.performance));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export default async function lighthouseBench() {
  const runsPerPage = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
  if (!Number.isInteger(runsPerPage) || runsPerPage < 1) {
    return { title: `Lighthouse: skipped, LIGHTHOUSE_RUNS must be a whole number of runs, 1 or more (got ${process.env.LIGHTHOUSE_RUNS})`, columns: ['page'], rows: [] };
  }
  if (!existsSync(join(dist, 'index.html'))) {
    return { title: 'Lighthouse: skipped, dist/ is missing (run `npm run build` first)', columns: ['page'], rows: [] };
  }
  const server = createSiteServer(dist);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const rows = [];
  try {
    const chosen = process.env.LIGHTHOUSE_PAGES?.split(',').filter(Boolean);
    for (const path of pagePaths().sort().filter((page) => !chosen || chosen.includes(page))) {
      const measured = [];
      for (let run = 0; run < runsPerPage; run++) {
        measured.push((await lighthouse(`http://127.0.0.1:${port}${path}`, { port: chrome.port, output: 'json', logLevel: 'error' })).lhr);
      }
      // A run Lighthouse could not finish (runtimeError, e.g. NO_FCP) scores 0 for reasons of its own: it is counted, not ranked.
      const runs = measured.filter((run) => !run.runtimeError);
      const failed = measured.filter((run) => run.runtimeError).map((run) => run.runtimeError.code);
      if (runs.length === 0) {
        rows.push([path, 'failed', failed.join(', '), '', '', '', '', '', '']);
        continue;
      }
      const { categories, audits } = medianRun(runs);
      const perfScores = runs.map((run) => score(run.categories.performance));
      rows.push([
        path,
        score(categories.performance),
        `${Math.min(...perfScores)}–${Math.max(...perfScores)}${failed.length ? ` (+${failed.length} failed: ${failed.join(', ')})` : ''}`,
        score(categories.accessibility),
        score(categories['best-practices']),
        score(categories.seo),
        (audits['cumulative-layout-shift'].numericValue ?? 0).toFixed(3),
        `${Math.round(audits['total-blocking-time'].numericValue ?? 0)} ms`,
        `${((audits['largest-contentful-paint'].numericValue ?? 0) / 1000).toFixed(1)} s`,
      ]);
    }
  } finally {
    await chrome.kill();
    await new Promise((resolve) => server.close(resolve));
  }
  return {
    title: `Lighthouse ${lighthouse.version ?? ''} (mobile emulation, Debian Chromium, served with compression)`.replace('  ', ' '),
    columns: ['page', 'perf', `perf (${runsPerPage} runs)`, 'a11y', 'best pr.', 'SEO', 'CLS', 'TBT', 'LCP'],
    rows,
    notes: [
      'Target on every page: performance ≥ 95; accessibility, best practices, SEO 100; CLS < 0.05; TBT < 200 ms.',
      `Each row is the page's median run by performance score, of ${runsPerPage}; the range beside it is the lowest and highest score of the runs, and the runs Lighthouse could not finish (a runtime error) are counted beside it, not scored as 0.`,
      'The machine runs the simulated slow 4G and 4× CPU slowdown on top of its own load: compare pages within one run.',
    ],
  };
}
