/**
 * Bytes a reader downloads for a cold first Run (the page, then the engine Worker, PGlite's
 * WebAssembly and data file and the initialised data directory), with brotli, with gzip and with
 * no compression. Each is a fresh Chromium context (empty cache) loading a sandbox page from the
 * site server (lib/static-server.mjs) and pressing Run until PostgreSQL starts; the server is the real one, with
 * the request's Accept-Encoding set to what is measured, and every response body it sends is
 * counted as sent: the bytes a host would transfer, which Chromium decodes to finish the run.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createSiteServer } from '../lib/static-server.mjs';

const root = new URL('../../', import.meta.url).pathname;
const pagePath = '/guide/the-problem/';

const modes = [
  { label: 'brotli', acceptEncoding: 'br, gzip' },
  { label: 'gzip', acceptEncoding: 'gzip' },
  { label: 'none', acceptEncoding: 'identity' },
];

/** What a response is part of, by its path and whether Run had been pressed. */
function partOf(path, afterRun) {
  if (path.includes('initdb')) return 'initdb WebAssembly';
  if (path.endsWith('.wasm')) return 'PGlite WebAssembly';
  if (path.endsWith('.data')) return 'PGlite data file';
  if (path.includes('pglite-datadir')) return 'data directory';
  // The prefetch (components/sandbox/prefetch.ts) fetches the Worker before Run.
  if (path.includes('engine.worker')) return 'Worker and its chunks';
  return afterRun ? 'Worker and its chunks' : 'page before Run';
}
const parts = ['page before Run', 'Worker and its chunks', 'PGlite WebAssembly', 'PGlite data file', 'data directory', 'initdb WebAssembly'];

/**
 * Issue 16's figures for the build before this change (MB): brotli as a host that compresses would
 * send it, none as `npm start` did (it sent no compression). The data directory was a gzip tarball
 * no host compresses further. The page before Run is not given there.
 */
const before = {
  brotli: { 'Worker and its chunks': 0.23, 'PGlite WebAssembly': 2.6, 'PGlite data file': 1.1, 'data directory': 4.5, total: 8.2 },
  none: { 'Worker and its chunks': 1.2, 'PGlite WebAssembly': 9.1, 'PGlite data file': 6.2, 'data directory': 4.5, total: 21 },
};

async function coldFirstRun(browser, acceptEncoding) {
  const server = createSiteServer(`${root}dist/`);
  const sent = Object.fromEntries(parts.map((part) => [part, 0]));
  let afterRun = false;
  let inFlight = 0;
  let lastFinished = Date.now();
  server.prependListener('request', (request, response) => {
    request.headers['accept-encoding'] = acceptEncoding;
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const partAtRequest = partOf(path, afterRun);
    inFlight++;
    response.on('close', () => {
      inFlight--;
      lastFinished = Date.now();
      sent[partAtRequest] += Number(response.getHeader('content-length') ?? 0);
    });
  });
  const quiet = async (ms) => {
    while (inFlight > 0 || Date.now() - lastFinished < ms) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}${pagePath}`);
    const sandbox = page.locator('connlab-sandbox[data-sandbox="direct-connection"]');
    await sandbox.scrollIntoViewIfNeeded();
    await page.waitForSelector('connlab-sandbox[data-ready="true"]', { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    afterRun = true;
    await sandbox.getByRole('button', { name: /^Run/ }).click();
    // Once PostgreSQL is starting every file of the engine is in; the server then stays quiet. (Not
    // the end of the run: on a loaded machine the 2 s watchdog may stop it, which does not change
    // what was downloaded.)
    await page.waitForFunction(() => /^Starting PostgreSQL|^Running… virtual second|Run finished|run was stopped/.test(document.querySelector('connlab-sandbox[data-sandbox="direct-connection"] [data-status]')?.textContent ?? ''), null, { timeout: 240_000 });
    await quiet(3000);
    return sent;
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

export default async function bench() {
  if (!existsSync(`${root}dist${pagePath}index.html`)) {
    return { title: 'Bytes of a cold first Run: skipped, dist/ is missing (run `npm run build` first)', columns: ['-'], rows: [] };
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const measured = {};
  try {
    for (const mode of modes) measured[mode.label] = await coldFirstRun(browser, mode.acceptEncoding);
  } finally {
    await browser.close();
  }
  const mb = (bytes) => (bytes / 1e6).toFixed(2);
  const was = (mode, part) => (before[mode][part] === undefined ? '-' : before[mode][part].toFixed(2));
  const total = (mode) => Object.values(measured[mode]).reduce((sum, bytes) => sum + bytes, 0);
  return {
    title: `Bytes of a cold first Run (${pagePath}, direct-connection), MB sent by the site server`,
    columns: ['part', 'brotli before', 'brotli', 'gzip', 'none before', 'none'],
    rows: [
      ...parts.map((part) => [part, was('brotli', part), mb(measured.brotli[part]), mb(measured.gzip[part]), was('none', part), mb(measured.none[part])]),
      ['total', before.brotli.total.toFixed(2), mb(total('brotli')), mb(total('gzip')), before.none.total.toFixed(2), mb(total('none'))],
    ],
    notes: [
      '"before": the figures in issue 16 for the previous build (brotli: a host that compresses; none: `npm start`, which then sent no compression).',
      'MB = 10^6 bytes of response bodies as sent (Content-Length), each mode in a fresh Chromium context with an empty cache.',
    ],
  };
}
