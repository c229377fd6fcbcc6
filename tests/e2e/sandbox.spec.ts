/**
 * A reader in chapter 1 runs the sandbox: sees the connection limit fail invocations with PostgreSQL's
 * own message, changes the code and the parameters, shares the result, and recovers from a handler
 * that never returns. The engine runs in a Web Worker; every page is watched for console errors and
 * foreign requests by the fixtures.
 */
import { execFileSync } from 'node:child_process';
import type { Locator } from '@playwright/test';
import type { RunReport } from '../../src/run/report.ts';
import { summarizeRun } from '../../src/run/summary.ts';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './fixtures.ts';
import { codeView, openSandbox, runAndWait as runUntilFinished, saveData, scrollToSandbox, setCode } from './sandbox-steps.ts';

const runTimeout = 60_000;
const runAndWait = (sandbox: Locator) => runUntilFinished(sandbox, runTimeout);

const summary = (sandbox: Locator) => sandbox.locator('[data-summary]');

test('the default run fails most invocations with 53300, and a smaller load does not', async ({ page }) => {
  test.setTimeout(180_000);
  // The reader saves data, so PostgreSQL downloads when Run is pressed and the status line counts it
  // (prefetch.spec shows the download that starts before Run otherwise).
  await saveData(page);
  const sandbox = await openSandbox(page);
  await sandbox.screenshot({ path: `test-results/screenshots/sandbox-before-${page.viewportSize()?.width}.png` });
  await expectAccessible(page);

  // Watch the main thread while the engine works in the Worker: no task may block it for 200 ms.
  await page.evaluate(() => {
    const longest = { ms: 0 };
    (window as unknown as { longestTask: typeof longest }).longestTask = longest;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest.ms = Math.max(longest.ms, entry.duration);
    }).observe({ type: 'longtask' });
  });
  // And every status the reader is shown while PostgreSQL loads for the first time.
  await page.evaluate(() => {
    const status = document.querySelector('connlab-sandbox [data-status]')!;
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
  });
  await runAndWait(sandbox);
  const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
  expect(statuses.some((text) => /^Loading PostgreSQL: [\d.]+ of [\d.]+ MB…$/.test(text)), statuses.join(' | ')).toBe(true);
  // The server compresses PGlite's files, so the bytes counted (decoded) must be measured against decoded sizes.
  for (const [, loaded, total] of statuses.map((text) => /^Loading PostgreSQL: ([\d.]+) of ([\d.]+) MB…$/.exec(text)).filter((match) => match !== null)) {
    expect(Number(loaded), statuses.join(' | ')).toBeLessThanOrEqual(Number(total));
  }
  expect(statuses).toContain('Starting PostgreSQL…');
  const longestTask = await page.evaluate(() => (window as unknown as { longestTask: { ms: number } }).longestTask.ms);
  expect(longestTask, 'longest main-thread task during the run (ms)').toBeLessThan(200);
  await expect(summary(sandbox)).toContainText('sorry, too many clients already');
  await expect(summary(sandbox)).toContainText('53300');
  await expect(summary(sandbox).getByRole('row', { name: /Peak database connections/ })).toContainText('of max_connections 112');
  // The column is headed by the variant's label, as the Code choice names it, and only the services the run used have rows
  // (the handler reads its secret from Secrets Manager at INIT).
  await expect(summary(sandbox).getByRole('columnheader', { name: 'This run (new Client() per invocation)' })).toBeVisible();
  await expect(summary(sandbox).locator('th.section')).toHaveText(['Lambda', 'Database (RDS for PostgreSQL)', 'Secrets Manager']);
  await expect(summary(sandbox).getByRole('row', { name: /^Throttled/ })).toContainText('0');
  // The chart is drawn: the main plot (the errors strip below it is a second canvas).
  await expect(sandbox.locator('[data-chart] canvas').first()).toBeVisible();
  await expect(sandbox.getByRole('status')).toContainText(/peak 11\d database connections of 112/);
  await sandbox.screenshot({ path: `test-results/screenshots/sandbox-after-${page.viewportSize()?.width}.png` });

  // The run failed, so the log opens on its errors. The log keeps the first failure of each code:
  // with RDS's 5 reserved slots that 53300 is the reserved-slot one.
  const logs = sandbox.locator('[data-log-view]');
  const level = sandbox.getByLabel('Level');
  await expect(level).toHaveValue('error');
  await expect(logs).toContainText('"errorMessage":"remaining connection slots are reserved for roles with the SUPERUSER attribute","code":"53300"');
  await expect(logs).not.toContainText('START RequestId');

  // Every line again, then one execution environment's. A thousand callers ran about a thousand
  // environments; the log keeps 25 invocations at most, so the list stays short enough to choose from.
  await level.selectOption('');
  await expect(logs).toContainText('START RequestId');
  await expect(summary(sandbox).getByRole('row', { name: /Execution environments/ })).toContainText(/peak \d,\d{3}|peak \d{3}/);
  const environmentFilter = sandbox.getByLabel('Execution environment');
  const environments = (await environmentFilter.locator('option').allTextContents()).filter((name) => name !== 'All');
  expect(environments.length).toBeGreaterThan(1);
  expect(environments.length).toBeLessThanOrEqual(25);
  await environmentFilter.selectOption(environments[0]!);
  const lines = (await logs.innerText()).split('\n').filter((line) => line.startsWith('['));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((line) => line.startsWith(`[${environments[0]}]`))).toBe(true);
  await environmentFilter.selectOption('');
  await expectAccessible(page);

  // Pin, then fewer callers: no connection errors this time, shown beside the pinned run.
  await sandbox.getByRole('button', { name: 'Pin this run' }).click();
  await sandbox.getByLabel(/Concurrent callers/).fill('40');
  await runAndWait(sandbox);
  await expect(summary(sandbox)).not.toContainText('too many clients');
  await expect(summary(sandbox)).toContainText('None: every invocation succeeded.');
  await expect(summary(sandbox).getByRole('columnheader', { name: 'Pinned: new Client() per invocation' })).toBeVisible();
  // No errors this time: the log shows every line.
  await expect(sandbox.getByLabel('Level')).toHaveValue('');
});

test('the page runs the same simulation as Node: every figure of the default run matches `connlab simulate --json`', async ({ page }) => {
  test.setTimeout(120_000);
  const cli = new URL('../../bin/connlab.mjs', import.meta.url).pathname;
  const report = JSON.parse(execFileSync(process.execPath, [cli, 'simulate', 'direct-connection', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as RunReport;
  const sandbox = await openSandbox(page);
  await runAndWait(sandbox);
  const inNode = summarizeRun(report, 'new Client() per invocation').sections.flatMap((section) => section.rows.map((row) => [row.label, row.value]));
  const inPage = await summary(sandbox)
    .locator('tbody tr:has(td)')
    .evaluateAll((rows) => rows.map((row) => [row.querySelector('th')!.textContent, row.querySelector('td')!.textContent]));
  expect(inPage).toEqual(inNode);
  expect(inNode.length).toBeGreaterThan(10);
});

test('edited code runs, is kept across reloads, and Reset can be undone', async ({ page }) => {
  test.setTimeout(120_000);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('20');
  await setCode(page, sandbox, "export const handler = async () => {\n  throw new Error('the edited handler ran');\n};\n");
  await expect(sandbox.locator('[data-edited]')).toBeVisible();
  await runAndWait(sandbox);
  await expect(summary(sandbox)).toContainText('the edited handler ran');

  await page.reload();
  const again = page.locator('connlab-sandbox[data-sandbox="direct-connection"]');
  await again.scrollIntoViewIfNeeded();
  await expect(again).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(again.locator('.cm-content')).toContainText('the edited handler ran');

  await again.getByRole('button', { name: 'Compare with original' }).click();
  await expect(again.locator('.cm-mergeView')).toBeVisible();
  await again.getByRole('button', { name: 'Back to the editor' }).click();

  await again.getByRole('button', { name: 'Reset code' }).click();
  await expect(again.locator('.cm-content')).toContainText('new pg.Client({');
  await again.getByRole('button', { name: 'Undo reset' }).click();
  await expect(again.locator('.cm-content')).toContainText('the edited handler ran');
});

test('a forgotten rejection ends its own environment as Lambda does, not the engine', async ({ page }) => {
  test.setTimeout(120_000);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('3');
  await setCode(page, sandbox, "export const handler = async () => {\n  Promise.reject(new Error('nobody awaited me'));\n  await new Promise((resolve) => setTimeout(resolve, 50));\n  return { statusCode: 200 };\n};\n");
  await runAndWait(sandbox);
  await expect(summary(sandbox)).toContainText('nobody awaited me');
  await expect(summary(sandbox)).toContainText('Runtime.UnhandledPromiseRejection');
});

test('a syntax error is shown at its line and column before anything runs', async ({ page }) => {
  const sandbox = await openSandbox(page);
  await setCode(page, sandbox, 'export const handler = async () => {\n  const total = ;\n  return total;\n};\n');
  const diagnostic = sandbox.locator('[data-diagnostic]');
  await expect(diagnostic).toBeVisible();
  await expect(diagnostic).toContainText('line 2, column 17');
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('status')).toHaveText('Fix the syntax error to run.');
  await expect(sandbox.locator('.cm-syntax-error')).toHaveCount(1);
  await expect(sandbox.locator('.cm-syntax-error')).toHaveText(';');
});

test('a share link restores code and parameters in a fresh browser', async ({ page, browser, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('7');
  await sandbox.getByLabel(/Instance class/).selectOption('db.t3.small');
  await setCode(page, sandbox, "// shared version\nexport const handler = async () => ({ statusCode: 204 });\n");
  await sandbox.getByRole('button', { name: 'Copy share link' }).click();
  await expect(sandbox.getByRole('status')).toContainText('Share link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#run=direct-connection~/);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const restored = await openSandbox(other, link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(restored.getByLabel(/Concurrent callers/)).toHaveValue('7');
  await expect(restored.getByLabel(/Instance class/)).toHaveValue('db.t3.small');
  await expect(restored.locator('.cm-content')).toContainText('// shared version');
  await runAndWait(restored);
  await expect(restored.locator('[data-summary]')).toContainText('None: every invocation succeeded.');
  await fresh.close();
});

test('a damaged share link loads the defaults and says why', async ({ page }) => {
  const sandbox = await openSandbox(page, '/guide/the-problem/#run=direct-connection~not-a-valid-state');
  await expect(sandbox.getByRole('alert').first()).toContainText('could not be read');
  await expect(sandbox.getByLabel(/Concurrent callers/)).toHaveValue('1000');
  await expect(codeView(sandbox)).toContainText('new pg.Client({');
});

test('an endless loop is stopped by the watchdog within 8 s, and the next run works', async ({ page }) => {
  test.setTimeout(120_000);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('5');
  // Warm the Worker first, so the measured time is the watchdog's, not PostgreSQL's start-up.
  await runAndWait(sandbox);
  await setCode(page, sandbox, 'export const handler = async () => {\n  while (true) {}\n};\n');
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  // Each run opens its database first, under the longer start-up allowance; the watchdog's own 5 s
  // count from "Running…", when PostgreSQL is up and the handler is called.
  await expect(sandbox.getByRole('status')).toHaveText('Running…', { timeout: 30_000 });
  const started = Date.now();
  await expect(sandbox.getByRole('alert').first()).toContainText('did not respond', { timeout: 15_000 });
  expect(Date.now() - started).toBeLessThan(8_000);
  // The page stayed responsive throughout: the loop ran in the Worker.
  await expect(sandbox.getByRole('button', { name: /^Run/ })).toBeEnabled();

  await sandbox.getByRole('button', { name: 'Reset code' }).click();
  await runAndWait(sandbox);
  await expect(summary(sandbox)).toContainText('None: every invocation succeeded.');
});

test('a handler that hoards memory is stopped by the watchdog, and the page stays alive', async ({ page }) => {
  test.setTimeout(120_000);
  let crashed = false;
  page.on('crash', () => (crashed = true));
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('1');
  await setCode(page, sandbox, 'const hoard = [];\nexport const handler = async () => {\n  for (;;) hoard.push(new Float64Array(1e6));\n};\n');
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('alert').first()).toContainText('uses up memory', { timeout: 30_000 });
  expect(crashed).toBe(false);
  await sandbox.getByRole('button', { name: 'Reset code' }).click();
  await runAndWait(sandbox);
  await expect(summary(sandbox)).toContainText('None: every invocation succeeded.');
});

test('Stop ends a run within half a second', async ({ page }) => {
  test.setTimeout(120_000);
  const sandbox = await openSandbox(page);
  await runAndWait(sandbox); // warm the Worker with the default run
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('status')).toContainText('virtual second', { timeout: runTimeout });
  const stopAt = Date.now();
  await sandbox.getByRole('button', { name: 'Stop' }).click();
  await expect(sandbox.getByRole('status')).toContainText('Stopped', { timeout: 2_000 });
  expect(Date.now() - stopAt).toBeLessThan(500 + 250);
  await expect(sandbox.getByRole('button', { name: /^Run/ })).toBeEnabled();
});

test('the arena runs all six patterns and prices them side by side', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/guide/compare/');
  const arena = page.locator('connlab-sandbox[data-sandbox="arena"]');
  await arena.scrollIntoViewIfNeeded();
  await expect(arena).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(arena.getByLabel(/max_connections \(yours\)/)).toHaveValue('200');
  await arena.getByRole('button', { name: 'Compare all 6 variants' }).click();
  await expect(arena.getByRole('status')).toHaveText('All 6 variants finished; the table compares them.', { timeout: 200_000 });
  // The chart's limit line is the last run's own max_connections: Aurora DSQL's quota (it runs last),
  // not db.r6g.large's nominal 1,802, which the island once recomputed for every run. The pool per
  // environment's limit, the maxConnections parameter (200), is in the table below.
  await expect(arena.locator('[data-chart]')).toHaveAttribute('aria-label', /against max_connections 10,000[;.]/);
  const table = arena.locator('[data-summary] table');
  await expect(table.locator('thead').getByRole('columnheader')).toHaveText(['Figure', 'Pool per environment', 'RDS Proxy', 'Data API', 'DynamoDB', 'SQS + bounded consumer', 'Aurora DSQL']);
  const connections = table.getByRole('row', { name: /Peak database connections/ }).getByRole('cell');
  // The pool per environment fills the database; DynamoDB never used it.
  await expect(connections.nth(0)).toContainText('200 of max_connections 200');
  await expect(connections.nth(3)).toHaveText('not used');
  await expect(table.getByRole('row', { name: /Errors by code/ }).getByRole('cell').nth(0)).toContainText('53300');
  await expect(table.getByRole('row', { name: /Cost per million requests/ }).getByRole('cell')).toHaveCount(6);
  // Each service's own figures appear for the runs that used it, and only for them.
  const proxyConnections = table.getByRole('row', { name: /Proxy database connections/ }).getByRole('cell');
  await expect(proxyConnections.nth(1)).toContainText(' of ');
  await expect(proxyConnections.nth(0)).toHaveText('not used');
  // The row headed exactly "Queue" (beside it stands "Queue depth (peak)").
  await expect(table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Queue', exact: true }) }).getByRole('cell')).toHaveText(['not used', 'not used', 'not used', 'not used', /^drained at \d+(\.\d)? s$/, 'not used']);
  await expect(table.getByRole('row', { name: /Throttled requests/ }).getByRole('cell').nth(3)).toHaveText(/^\d+$/);
  // Beside the table, each variant's small chart, all on one scale: the largest value of any run.
  const smallCharts = arena.locator('[data-summary] .compare-charts figure');
  await expect(smallCharts.locator('figcaption')).toHaveText(['Pool per environment', 'RDS Proxy', 'Data API', 'DynamoDB', 'SQS + bounded consumer', 'Aurora DSQL']);
  await expect(smallCharts.locator('canvas').first()).toBeVisible();
  const scales = await smallCharts.locator('[role="img"]').evaluateAll((charts) => charts.map((chart) => /0 to ([\d,]+)$/.exec(chart.getAttribute('aria-label') ?? '')?.[1]));
  expect(new Set(scales).size, `one scale for every variant: ${scales.join(', ')}`).toBe(1);
  expect(Number(scales[0]!.replaceAll(',', ''))).toBeGreaterThanOrEqual(200);
  await arena.screenshot({ path: 'test-results/screenshots/arena-1280.png' });
});

test('the Data API\'s exports bring 3 callers of their own, a value the reader chose stays, and "Compare all" shows where the loads differ', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/guide/data-api/');
  const sandbox = await scrollToSandbox(page, 'data-api');
  const callers = sandbox.getByLabel(/Concurrent callers/);
  await expect(callers).toHaveValue('1000');
  // The 1 MiB limit needs a few exports of 3,000 rows, not a thousand of them (minutes of waiting).
  await sandbox.getByRole('radio', { name: 'Export in one call' }).check();
  await expect(callers).toHaveValue('3');
  await sandbox.getByRole('radio', { name: 'Data API' }).check();
  await expect(callers).toHaveValue('1000');
  await callers.fill('200');
  await sandbox.getByRole('radio', { name: 'Export in pages' }).check();
  await expect(callers).toHaveValue('200');
  await sandbox.getByRole('radio', { name: 'Data API' }).check();
  await callers.fill('1000');

  await sandbox.getByRole('button', { name: 'Compare all 4 variants' }).click();
  await expect(sandbox.getByRole('status')).toHaveText('All 4 variants finished; the table compares them.', { timeout: 200_000 });
  const table = sandbox.locator('[data-summary] table');
  await expect(table.locator('caption')).toHaveText('All 4 variants, same seed, parameters as shown');
  await expect(table.getByRole('row', { name: /Concurrent callers/ }).getByRole('cell')).toHaveText(['1,000', '1,000', '3', '3']);
  const errors = table.getByRole('row', { name: /Errors by code/ }).getByRole('cell');
  await expect(errors.nth(2)).toContainText('BadRequestException');
  await expect(errors.nth(3)).toHaveText('none');
  await sandbox.locator('[data-summary]').screenshot({ path: 'test-results/screenshots/data-api-compare-1280.png' });
});

test('DynamoDB\'s throttles are counted as throttles, and a code under "Errors by code" filters the log', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/guide/dynamodb/');
  const sandbox = await scrollToSandbox(page, 'dynamodb');
  await runUntilFinished(sandbox, 150_000);
  const table = summary(sandbox);
  // The hot key's throttles fail invocations, not Lambda: they are still counted where "Throttled" is.
  await expect(table.getByRole('row', { name: /^Throttled \d/ }).getByRole('cell')).toHaveText(/^[\d,]+: [\d,]+ DynamoDB requests$/);
  await expect(table.getByRole('columnheader', { name: 'This run (One partition key)' })).toBeVisible();
  // No database was used, so there are no database rows.
  await expect(table.locator('th.section')).toHaveText(['Lambda', 'DynamoDB']);

  // The log opened on the errors; pressing the code shows its lines, and takes the reader there.
  const level = sandbox.getByLabel('Level');
  const logs = sandbox.locator('[data-log-view]');
  await expect(level).toHaveValue('error');
  await level.selectOption('');
  await expect(logs).toContainText('START RequestId');
  await table.getByRole('button', { name: 'ProvisionedThroughputExceededException' }).click();
  await expect(level).toHaveValue('code:ProvisionedThroughputExceededException');
  await expect(logs).toBeFocused();
  const lines = (await logs.innerText()).split('\n').filter((line) => line.startsWith('['));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((line) => line.includes('ProvisionedThroughputExceededException'))).toBe(true);
  await expectAccessible(page);
});

test('a run started in a second sandbox stops the first and gives it its Run button back', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/guide/pools-per-environment/');
  const second = await scrollToSandbox(page, 'module-pool');
  const first = await scrollToSandbox(page, 'stale-after-freeze');
  await first.getByRole('button', { name: /^Run/ }).click();
  await expect(first.getByRole('status')).toContainText(/PostgreSQL|Running/, { timeout: runTimeout });
  await second.getByRole('button', { name: /^Run/ }).click();
  // The first is told why it stopped, at once, and can run again without a reload; the second runs.
  await expect(first.getByRole('status')).toHaveText('Stopped: another sandbox on this page started a run.', { timeout: 5_000 });
  await expect(first.getByRole('button', { name: /^Run/ })).toBeEnabled();
  await expect(first.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(second.getByRole('button', { name: 'Stop' })).toBeEnabled();
  await second.getByRole('button', { name: 'Stop' }).click();
  await expect(second.getByRole('status')).toContainText('Stopped', { timeout: 5_000 });
  await expect(second.getByRole('button', { name: /^Run/ })).toBeEnabled();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 800 } });
  test('the sandbox fits, runs and passes axe', async ({ page }) => {
    test.setTimeout(120_000);
    const sandbox = await openSandbox(page);
    await sandbox.screenshot({ path: 'test-results/screenshots/sandbox-before-360.png' });
    await sandbox.getByLabel(/Concurrent callers/).fill('200');
    await runAndWait(sandbox);
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await sandbox.screenshot({ path: 'test-results/screenshots/sandbox-after-360.png' });
  });
});

test.describe('on a wide screen', () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  test('the sandbox takes the contents column too, with the code and the outcome side by side', async ({ page }) => {
    const sandbox = await openSandbox(page);
    const prose = (await page.locator('main.chapter').boundingBox())!;
    const box = (await sandbox.boundingBox())!;
    expect(box.width).toBeGreaterThan(prose.width + 200);
    const code = (await sandbox.locator('[data-editor]').boundingBox())!;
    const outcome = (await sandbox.locator('[data-outcome]').boundingBox())!;
    expect(outcome.x).toBeGreaterThanOrEqual(code.x + code.width);
    expect(outcome.y).toBeLessThan(code.y + code.height);
    await expectNoHorizontalScroll(page);
  });
});

test.describe('on a touch phone', () => {
  test.use({ viewport: { width: 360, height: 800 }, hasTouch: true, isMobile: true });

  test('a long handler folds behind "Show all code", Run sits right under it, and no shortcut hint is shown', async ({ page }) => {
    const sandbox = await openSandbox(page);
    const code = sandbox.locator('[data-editor]');
    const fold = sandbox.getByRole('button', { name: 'Show all code' });
    await expect(fold).toHaveAttribute('aria-expanded', 'false');
    const folded = (await code.boundingBox())!.height;
    // About eight lines of 0.85rem at a line height of 1.55.
    expect(folded).toBeLessThan(8 * 0.85 * 16 * 1.55 + 10);
    const run = sandbox.getByRole('button', { name: /^Run/ });
    const foldBox = (await fold.boundingBox())!;
    const runBox = (await run.boundingBox())!;
    expect(runBox.y - (foldBox.y + foldBox.height)).toBeLessThan(30);
    // The folded code is clipped, not gone: its focusable box must not run on under the button (target size).
    await expectAccessible(page);
    await expect(run).toHaveAccessibleName('Run');
    await expect(sandbox.getByRole('status')).toHaveText('Ready. Press Run to start.');
    await expect(sandbox.getByLabel('Instance class').locator('option:checked')).toHaveText('db.t3.micro · 112');

    await fold.click();
    await expect(sandbox.getByRole('button', { name: 'Show less code' })).toHaveAttribute('aria-expanded', 'true');
    expect((await code.boundingBox())!.height).toBeGreaterThan(folded * 2);
    await expectNoHorizontalScroll(page);
  });
});
