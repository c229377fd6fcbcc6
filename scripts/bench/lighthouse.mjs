/**
 * Lighthouse (mobile: its default emulated phone, slow 4G and 4× CPU slowdown) on every built page,
 * in Debian's Chromium, against the site served as a host would serve it (compression, _headers).
 * Issue 15's bar: performance ≥ 95, accessibility, best practices and SEO 100, layout shift < 0.05
 * and total blocking time < 200 ms on every page. It reports; tests enforce the budgets they can.
 * LIGHTHOUSE_PAGES=/wizard/,/doctor/ measures only those pages (a run over every page takes minutes).
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

export default async function lighthouseBench() {
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
      const result = await lighthouse(`http://127.0.0.1:${port}${path}`, { port: chrome.port, output: 'json', logLevel: 'error' });
      const { categories, audits } = result.lhr;
      rows.push([
        path,
        score(categories.performance),
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
    columns: ['page', 'perf', 'a11y', 'best pr.', 'SEO', 'CLS', 'TBT', 'LCP'],
    rows,
    notes: [
      'Target on every page: performance ≥ 95; accessibility, best practices, SEO 100; CLS < 0.05; TBT < 200 ms.',
      'The machine runs the simulated slow 4G and 4× CPU slowdown on top of its own load: compare pages within one run.',
    ],
  };
}
