/**
 * Handler code from a share link is untrusted. Pasted into a sandbox, a hostile handler tries to
 * forge the Worker's messages, poison the engine's intrinsics and globals for the next run, reach
 * another port on this machine, and hoard memory. The page must tell the truth about each run, the
 * next run must be clean, and nothing may leave the page. The site is served here as a host that
 * ignores `_headers` would serve it (no Content-Security-Policy), so the Worker's CSP is no help.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { encodeSharedState } from '../../src/sandboxes/share.ts';
import { openSandbox as openChapterSandbox, runAndWait as runUntilFinished, setCode } from './sandbox-steps.ts';

const runTimeout = 90_000;
const runAndWait = (sandbox: Locator) => runUntilFinished(sandbox, runTimeout);

/** Chapter 1's sandbox with five callers: enough invocations to run every probe, quickly. */
async function openSandbox(page: Page): Promise<Locator> {
  const sandbox = await openChapterSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('5');
  return sandbox;
}
let server: Server;
let port = 0;
const received: string[] = [];

test.beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    response.setHeader('access-control-allow-origin', '*');
    response.end('reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test.beforeEach(async ({ context }) => {
  // A host that ignores _headers: strip the CSP from every response of the site.
  await context.route(/^http:\/\/127\.0\.0\.1:\d+\//, async (route) => {
    if (new URL(route.request().url()).port === String(port)) return route.continue();
    const response = await route.fetch();
    const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
    await route.fulfill({ response, headers });
  });
});

const hostile = (target: string) => `
const probes = {};
const attempt = async (name, go) => { try { await go(); probes[name] = 'ran'; } catch (error) { probes[name] = error.constructor.name; } };
await attempt('forge postMessage', () => postMessage({ type: 'done', id: 1, report: null }));
await attempt('forge self.postMessage', () => self.postMessage({ type: 'done', id: 1, report: null }));
await attempt('replace Array.prototype.push', () => { Array.prototype.push = () => 0; });
await attempt('add Object.prototype.toJSON', () => { Object.prototype.toJSON = () => 'forged'; });
await attempt('replace Promise.prototype.then', () => { Promise.prototype.then = () => 0; });
await attempt('replace Math.max', () => { Math.max = () => 0; });
globalThis.leftBehind = 'by a hostile run';
await attempt('fetch', () => fetch('${target}fetch'));
await attempt('WebSocket', () => new WebSocket('${target.replace('http', 'ws')}ws'));
await attempt('EventSource', () => new EventSource('${target}sse'));
await attempt('blob Worker', () => new Worker(URL.createObjectURL(new Blob(['fetch("${target}worker")']))));
await attempt('importScripts', () => importScripts('${target}script'));
const visible = [typeof fetch, typeof WebSocket, typeof EventSource, typeof Worker, typeof importScripts, typeof postMessage, typeof self, typeof XMLHttpRequest];
export const handler = async () => {
  throw new Error('probes ' + JSON.stringify({ ...probes, visible: visible.join(' ') }));
};
`;

test('a hostile handler cannot forge the report, poison the next run or reach another port', async ({ page }) => {
  test.setTimeout(240_000);
  const sandbox = await openSandbox(page);
  await setCode(page, sandbox, hostile(`http://127.0.0.1:${port}/`));
  await runAndWait(sandbox);
  // The page reports the engine's own count: every invocation failed, with the probes' findings.
  await expect(sandbox.getByRole('status')).toHaveText(/Run finished: (\d+) invocations, 0 succeeded, \1 failed or throttled/);
  // Each probe threw (a ReferenceError where the name is simply absent, a TypeError where SES's scope
  // hides a name the Worker's own global object has, or where the intrinsic is frozen); none ran.
  const summaryText = (await sandbox.locator('[data-summary]').textContent()) ?? '';
  const probes = JSON.parse(/probes (\{[^}]*\})/.exec(summaryText)?.[1] ?? '{}') as Record<string, string>;
  const { visible, ...attempts } = probes;
  expect(visible).toBe(Array(8).fill('undefined').join(' '));
  expect(Object.keys(attempts)).toHaveLength(11);
  expect(Object.entries(attempts).filter(([, outcome]) => !/^(ReferenceError|TypeError)$/.test(outcome))).toEqual([]);

  // The next run, of code that looks for what the hostile one left, is clean.
  await setCode(
    page,
    sandbox,
    `export const handler = async () => {
  const left = [typeof globalThis.leftBehind, typeof Object.prototype.toJSON, [1].concat([2]).length, Math.max(1, 2), JSON.stringify({ a: [] })];
  if (left.join() !== 'undefined,undefined,2,2,{"a":[]}') throw new Error('left behind: ' + left.join());
  return 'clean';
};
`,
  );
  await runAndWait(sandbox);
  await expect(sandbox.getByRole('status')).toHaveText(/Run finished: (\d+) invocations, \1 succeeded, 0 failed or throttled/);
  await sandbox.getByRole('button', { name: 'Reset code' }).click();
  await runAndWait(sandbox);
  await expect(sandbox.locator('[data-summary]')).toContainText('None: every invocation succeeded.');
  expect(received).toEqual([]);
});

test('a handler that hoards memory while it keeps yielding is stopped with the reason, and the next run works', async ({ page }) => {
  test.setTimeout(240_000);
  let crashed = false;
  page.on('crash', () => (crashed = true));
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('1');
  await setCode(page, sandbox, 'const hog = [];\nexport const handler = async () => {\n  setInterval(() => hog.push(new Array(2e5).fill(1.5)), 1);\n  await new Promise(() => {});\n};\n');
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  // Stopped by the share of wall time in its timers, or (under load, where that share is diluted) by their time per virtual second.
  await expect(sandbox.getByRole('alert').first()).toContainText(/kept the engine busy|own timers took/, { timeout: 60_000 });
  await expect(sandbox.getByRole('status')).toContainText('The run was stopped');
  expect(crashed).toBe(false);
  await sandbox.getByRole('button', { name: 'Reset code' }).click();
  await runAndWait(sandbox);
  await expect(sandbox.locator('[data-summary]')).toContainText('None: every invocation succeeded.');
});

/** The page's main thread answers within a frame or two while the Worker is busy: the tab stays responsive. */
async function expectResponsive(page: Page): Promise<void> {
  const started = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  expect(Date.now() - started).toBeLessThan(1_000);
}

test('a handler that spins in a fast timer while it keeps yielding is stopped with the reason; the page stays responsive', async ({ page }) => {
  test.setTimeout(240_000);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('1');
  // No allocation and no endless loop: every 1 ms timer burns the CPU between yields.
  await setCode(page, sandbox, 'let spun = 0;\nexport const handler = async () => {\n  setInterval(() => { for (let i = 0; i < 2e6; i++) spun += i % 7; }, 1);\n  await new Promise(() => {});\n};\n');
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('button', { name: 'Stop' })).toBeEnabled({ timeout: 30_000 });
  await expectResponsive(page);
  // The Worker's runaway watch stops it: by the share of wall time in handler timers, or, when the
  // engine's own work between ticks dilutes that share (under load), by the timers' time per virtual
  // second, which load does not dilute. On a machine so loaded that one burst of timers outlasts 5 s,
  // the heartbeat watchdog does first. Any way, with the reason.
  await expect(sandbox.getByRole('alert').first()).toContainText(/kept the engine busy|own timers took|did not respond for 5 s/, { timeout: 60_000 });
  await expect(sandbox.getByRole('status')).toContainText('The run was stopped');
  await expectResponsive(page);
  await sandbox.getByRole('button', { name: 'Reset code' }).click();
  await runAndWait(sandbox);
  await expect(sandbox.locator('[data-summary]')).toContainText('None: every invocation succeeded.');
});

/**
 * A stranger's share link for the DynamoDB chapter: its handler changes the AWS SDK's deep objects
 * (a protocol prototype, an enum, a response schema, the auth schemes every client shares). The
 * reader runs it, resets the code and runs the chapter's own handler: the result is the one a fresh
 * page computes.
 */
const hostileSdk = `
import { DynamoDBClient, ReturnValue, UpdateItemOutput$ } from '@aws-sdk/client-dynamodb';
const tried = {};
const attempt = (name, change) => { try { change(); tried[name] = 'changed'; } catch (error) { tried[name] = error.constructor.name; } };
const client = new DynamoDBClient({});
attempt('protocol prototype', () => { Object.getPrototypeOf(client.config.protocol).deserializeResponse = async () => { throw new Error('forged response'); }; });
attempt('enum', () => { ReturnValue.ALL_NEW = 'NONE'; });
attempt('schema', () => { UpdateItemOutput$[4].length = 0; });
attempt('auth schemes', () => { client.config.httpAuthSchemes.unshift({ schemeId: 'aws.auth#sigv4', identityProvider: () => async () => ({}), signer: { sign: async () => { throw new Error('forged signer'); } } }); });
attempt('auth scheme signer', () => { client.config.httpAuthSchemes.at(-1).signer.sign = async () => { throw new Error('forged signer'); }; });
export const handler = async () => {
  throw new Error('attacks ' + JSON.stringify(tried));
};
`;

test('a hostile share link cannot change the AWS SDK for the reader\'s next run', async ({ page, context }) => {
  test.setTimeout(300_000);
  const chapter = '/guide/dynamodb/';
  const open = async (target: Page, url: string) => {
    await target.goto(url);
    const sandbox = target.locator('connlab-sandbox[data-sandbox="dynamodb"]');
    await sandbox.scrollIntoViewIfNeeded();
    await expect(sandbox).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
    return sandbox;
  };
  const link = encodeSharedState({ sandbox: 'dynamodb', params: { concurrency: 20 }, files: { 'hot-key.mjs': hostileSdk } });
  const sandbox = await open(page, `${chapter}${link}`);
  await expect(sandbox.getByLabel(/Concurrent callers/)).toHaveValue('20');
  await runAndWait(sandbox);
  const summaryText = (await sandbox.locator('[data-summary]').textContent()) ?? '';
  const attacks = JSON.parse(/attacks (\{[^}]*\})/.exec(summaryText)?.[1] ?? '{}') as Record<string, string>;
  // The attacks did change the SDK of that run: the test would see them in the next one if they leaked.
  expect(Object.values(attacks)).toEqual(Array(5).fill('changed'));

  await sandbox.getByRole('button', { name: 'Reset code' }).click();
  await expect(sandbox.locator('.cm-content')).toContainText('UpdateCommand');
  await runAndWait(sandbox);
  const afterHostile = await sandbox.getByRole('status').textContent();
  await expect(sandbox.locator('[data-summary]')).not.toContainText('forged');

  // The same run in a page (and a Worker) no hostile code has touched.
  const fresh = await context.newPage();
  const clean = await open(fresh, chapter);
  await clean.getByLabel(/Concurrent callers/).fill('20');
  await runAndWait(clean);
  expect(afterHostile).toBe(await clean.getByRole('status').textContent());
  expect(afterHostile).toMatch(/Run finished: [\d,]+ invocations/);
});
