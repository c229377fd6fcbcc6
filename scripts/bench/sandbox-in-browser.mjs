/**
 * The sandbox in Chromium against the same run in Node: time from Run to the first chart point with
 * a cold Worker (PGlite downloads and starts) and a warm one, and the default direct-connection run's
 * wall time in the page against Node's, measured side by side in this process.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const root = new URL('../../', import.meta.url).pathname;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function inBrowser() {
  const port = await freePort();
  const server = spawn(process.execPath, [`${root}scripts/serve.mjs`, '--port', String(port)], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/guide/the-problem/`);
    const sandbox = page.locator('connlab-sandbox[data-sandbox="direct-connection"]');
    await sandbox.scrollIntoViewIfNeeded();
    await page.waitForSelector('connlab-sandbox[data-ready="true"]', { timeout: 30_000 });
    const runs = [];
    for (const label of ['cold Worker', 'warm Worker']) {
      await sandbox.getByRole('button', { name: /^Run/ }).click();
      await page.waitForFunction(() => /Run finished/.test(document.querySelector('connlab-sandbox [data-status]')?.textContent ?? ''), null, { timeout: 120_000 });
      runs.push({
        label,
        firstSampleMs: Number(await sandbox.getAttribute('data-first-sample-ms')),
        runMs: Number(await sandbox.getAttribute('data-last-run-ms')),
      });
    }
    return runs;
  } finally {
    await browser.close();
    server.kill();
  }
}

async function inNode() {
  const { runSandbox } = await import('../../src/run/run.ts');
  const { nodeHost } = await import('../../src/engine/host/host.node.ts');
  const { loadSandbox } = await import('../../src/sandboxes/load.node.ts');
  const sandbox = loadSandbox('direct-connection');
  await runSandbox(nodeHost, { sandbox }); // warm: pg bundle and data directory cached, as in the warm Worker
  const start = performance.now();
  await runSandbox(nodeHost, { sandbox });
  return performance.now() - start;
}

export default async function bench() {
  if (!existsSync(`${root}dist/guide/the-problem/index.html`)) {
    return { title: 'Sandbox in Chromium: skipped, dist/ is missing (run `npm run build` first)', columns: ['-'], rows: [] };
  }
  const browserRuns = await inBrowser();
  const nodeMs = await inNode();
  const warm = browserRuns.find((run) => run.label === 'warm Worker');
  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  return {
    title: 'Sandbox in the page (Chromium) against Node, default direct-connection run',
    columns: ['run', 'Run → first chart point', 'whole run', 'page ÷ Node'],
    rows: [
      ...browserRuns.map((run) => [run.label, seconds(run.firstSampleMs), seconds(run.runMs), (run.runMs / nodeMs).toFixed(2)]),
      ['Node (warm host)', '-', seconds(nodeMs), '1.00'],
    ],
    notes: [
      'A whole run in the page includes the Worker round trips and drawing; Node runs the same engine with the same seed.',
      warm ? `Warm page run is ${(warm.runMs / nodeMs).toFixed(2)}× Node's wall time.` : '',
    ].filter(Boolean),
  };
}
