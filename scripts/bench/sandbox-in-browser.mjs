/**
 * The sandbox in Chromium against the same run in Node. In the page: Run → first chart point and
 * Run → finished for the default direct-connection run, cold without prefetch (Save-Data emulated,
 * so PostgreSQL loads on Run), cold with prefetch (the reader scrolls to the sandbox, waits 3 s, then
 * presses Run) and warm (a second Run in the same page); each without throttling and under
 * Chromium's network emulation at 10 Mbit/s down and 40 ms latency. The site server is the real one
 * (lib/static-server.mjs, with its precompressed brotli), on 127.0.0.1; every cold run is a fresh
 * browser context, so an empty cache. Then the warm page run's wall time against Node's: warm runs
 * in the page and runs in Node alternate, best of PAGE_NODE_REPEATS each, because a single pair
 * differs by more than the effect on a shared machine.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createSiteServer } from '../lib/static-server.mjs';

const root = new URL('../../', import.meta.url).pathname;
const pagePath = '/guide/the-problem/';
const port = Number(process.env.BENCH_PORT ?? 4422);
const PAGE_NODE_REPEATS = 4;

const networks = [
  { label: 'no throttling', conditions: undefined },
  // Bytes per second, as CDP takes them.
  { label: '10 Mbit/s, 40 ms', conditions: { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 } },
];

/** The prefetch (components/sandbox/prefetch.ts) stays off for a reader who saves data. */
const saveData = () => Object.defineProperty(Navigator.prototype, 'connection', { configurable: true, get: () => ({ saveData: true }) });

async function run(page, sandbox) {
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await page.waitForFunction(() => /Run finished/.test(document.querySelector('connlab-sandbox[data-sandbox="direct-connection"] [data-status]')?.textContent ?? ''), null, { timeout: 240_000 });
  return { firstSampleMs: Number(await sandbox.getAttribute('data-first-sample-ms')), runMs: Number(await sandbox.getAttribute('data-last-run-ms')) };
}

/** PostgreSQL's files as the Worker requests them: PGlite's WebAssembly, its file bundle, the data directory. */
const postgresFile = /\/_astro\/pglite[^/]*\.(wasm|data|tar)$/;

async function pageOn(context, network) {
  const page = await context.newPage();
  if (network.conditions) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network.conditions);
  }
  return page;
}

/** One fresh context: cold Run (with or without prefetch), then a warm Run in the same page. */
async function coldThenWarm(browser, network, prefetch) {
  const context = await browser.newContext();
  const postgresUrls = new Set();
  context.on('request', (request) => {
    if (postgresFile.test(new URL(request.url()).pathname)) postgresUrls.add(request.url());
  });
  try {
    if (!prefetch) await context.addInitScript(saveData);
    const page = await pageOn(context, network);
    await page.goto(`http://127.0.0.1:${port}${pagePath}`);
    const sandbox = page.locator('connlab-sandbox[data-sandbox="direct-connection"]');
    await sandbox.scrollIntoViewIfNeeded();
    await page.waitForSelector('connlab-sandbox[data-sandbox="direct-connection"][data-ready="true"]', { timeout: 60_000 });
    if (prefetch) await page.waitForTimeout(3000);
    const cold = await run(page, sandbox);
    const warm = await run(page, sandbox);
    return { cold, warm, postgresUrls: [...postgresUrls] };
  } finally {
    await context.close();
  }
}

/**
 * The floor the network sets: PostgreSQL's files fetched at once by a fresh page on the same
 * network, with nothing else to do. A Run's first point after a prefetch of 3 s cannot come sooner
 * than this minus 3 s.
 */
async function downloadOnly(browser, network, urls) {
  const context = await browser.newContext();
  try {
    const page = await pageOn(context, network);
    await page.goto(`http://127.0.0.1:${port}/favicon.svg`);
    return await page.evaluate(async (urls) => {
      const start = performance.now();
      await Promise.all(urls.map(async (url) => (await fetch(url)).arrayBuffer()));
      return performance.now() - start;
    }, urls);
  } finally {
    await context.close();
  }
}

/**
 * Warm runs in a page (no throttling) and in this Node process, alternating, so that a slower spell
 * of the machine weighs on both: the best of each.
 */
async function warmAgainstNode(browser, nodeRun) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}${pagePath}`);
    const sandbox = page.locator('connlab-sandbox[data-sandbox="direct-connection"]');
    await sandbox.scrollIntoViewIfNeeded();
    await page.waitForSelector('connlab-sandbox[data-sandbox="direct-connection"][data-ready="true"]', { timeout: 60_000 });
    await run(page, sandbox);
    await nodeRun();
    const pageMs = [];
    const nodeMs = [];
    for (let i = 0; i < PAGE_NODE_REPEATS; i++) {
      pageMs.push((await run(page, sandbox)).runMs);
      nodeMs.push(await nodeRun());
    }
    return { pageMs: Math.min(...pageMs), nodeMs: Math.min(...nodeMs) };
  } finally {
    await context.close();
  }
}

async function inBrowser(nodeRun) {
  const server = createSiteServer(`${root}dist/`);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const rows = [];
  try {
    for (const network of networks) {
      const withoutPrefetch = await coldThenWarm(browser, network, false);
      const withPrefetch = await coldThenWarm(browser, network, true);
      rows.push({ network: network.label, scenario: 'cold, no prefetch', ...withoutPrefetch.cold });
      rows.push({ network: network.label, scenario: 'cold, prefetch (3 s)', ...withPrefetch.cold });
      rows.push({ network: network.label, scenario: 'warm', ...withPrefetch.warm });
      rows.push({ network: network.label, scenario: 'PostgreSQL download alone', runMs: await downloadOnly(browser, network, withPrefetch.postgresUrls) });
    }
    return { rows, warm: await warmAgainstNode(browser, nodeRun) };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** One default direct-connection run in this process; the first one warms it (pg bundle and data directory cached), as in the warm Worker. */
async function nodeRunner() {
  const { runSandbox } = await import('../../src/run/run.ts');
  const { nodeHost } = await import('../../src/engine/host/host.node.ts');
  const { loadSandbox } = await import('../../src/sandboxes/load.node.ts');
  const sandbox = loadSandbox('direct-connection');
  return async () => {
    const start = performance.now();
    await runSandbox(nodeHost, { sandbox });
    return performance.now() - start;
  };
}

export default async function bench() {
  if (!existsSync(`${root}dist${pagePath}index.html`)) {
    return { title: 'Sandbox in Chromium: skipped, dist/ is missing (run `npm run build` first)', columns: ['-'], rows: [] };
  }
  const { rows: browserRuns, warm } = await inBrowser(await nodeRunner());
  const nodeMs = warm.nodeMs;
  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  return {
    title: `Sandbox in the page (Chromium), default direct-connection run, from the site server with brotli`,
    columns: ['network', 'run', 'Run → first chart point', 'Run → finished', 'page ÷ Node'],
    rows: [
      ...browserRuns.map((row) =>
        row.firstSampleMs === undefined
          ? [row.network, row.scenario, '-', seconds(row.runMs), '-']
          : [row.network, row.scenario, seconds(row.firstSampleMs), seconds(row.runMs), (row.runMs / nodeMs).toFixed(2)],
      ),
      ['no throttling', `warm, best of ${PAGE_NODE_REPEATS}`, '-', seconds(warm.pageMs), (warm.pageMs / nodeMs).toFixed(2)],
      ['-', `Node (warm host), best of ${PAGE_NODE_REPEATS}`, '-', seconds(nodeMs), '1.00'],
    ],
    notes: [
      'cold, no prefetch: Save-Data emulated, so PostgreSQL loads on Run. cold, prefetch: scroll to the sandbox, wait 3 s, press Run. warm: a second Run in the same page. Each of these is one run; page ÷ Node divides by Node\'s best.',
      `warm, best of ${PAGE_NODE_REPEATS}: a fresh page's later Runs, alternating with runs in Node, the best of each; this pair gives page ÷ Node (issue 16: at most 1.2).`,
      'PostgreSQL download alone: the files the Worker fetched for a Run (WebAssembly, file bundle, data directory), fetched at once by a fresh page on the same network with nothing else running: the floor the network sets, so a first point after 3 s of prefetch cannot come before it minus 3 s.',
      'Throttling: CDP Network.emulateNetworkConditions (10 Mbit/s down and up, 40 ms latency). Each cold run is a fresh context (empty cache).',
      `Warm page run (no throttling), best of ${PAGE_NODE_REPEATS}, is ${(warm.pageMs / nodeMs).toFixed(2)}× Node's best wall time.`,
    ],
  };
}
