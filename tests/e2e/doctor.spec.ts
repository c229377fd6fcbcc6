/**
 * A reader checks their own handler on /doctor/: pastes one that connects on every invocation (and
 * forgets to close), sees the findings in the list and in the editor's lint gutter, runs it through
 * the spike and watches it fail with 53300, rewrites it to a module-level pool, applies the doctor's
 * one-click fix, and sees no findings and a green run. Then the share link, files opened and dropped,
 * the keyboard, both themes and a phone's width. Every page is watched for console errors and foreign
 * requests (fixtures.ts).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './fixtures.ts';

const leakyHandler = `import pg from 'pg';

export const handler = async (event) => {
  const client = new pg.Client();
  await client.connect();
  const { rows } = await client.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
`;

const pooledHandler = `import pg from 'pg';

const pool = new pg.Pool({ max: 3, idleTimeoutMillis: 60_000, connectionTimeoutMillis: 5_000, query_timeout: 8_000 });
pool.on('error', (error) => console.error('idle client error', error.message));

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
`;

const runTimeout = 150_000;

async function openDoctor(page: Page, url = '/doctor/'): Promise<Locator> {
  await page.goto(url);
  const doctor = page.locator('connlab-doctor');
  await expect(doctor).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  return doctor;
}

/** The code: static until the reader reaches for it, then the editor, under the same name. */
const codeBox = (doctor: Locator) => doctor.getByRole('textbox', { name: 'Your handler code. Paste it here; Ctrl+Enter runs it.' });

/** A paste as the browser delivers one: a paste event with the text on its clipboard data, into the focused editor. */
async function paste(page: Page, doctor: Locator, code: string): Promise<void> {
  await codeBox(doctor).click();
  const content = doctor.locator('.cm-content');
  await expect(content).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await content.evaluate((element, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
}

const findings = (doctor: Locator) => doctor.locator('[data-findings] > li');
const count = (doctor: Locator) => doctor.locator('[data-findings-count]');

async function run(doctor: Locator): Promise<void> {
  await doctor.getByRole('button', { name: /^Run/ }).click();
  await expect(doctor.locator('[data-status]')).toHaveText('Run finished.', { timeout: runTimeout });
}

async function screenshots(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `test-results/screenshots/doctor-${name}-${width}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a handler that connects per invocation is found, fails the spike, and once fixed holds', async ({ page }) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const doctor = await openDoctor(page);
  await expect(page.getByText('Nothing leaves your browser')).toBeVisible();
  await expect(count(doctor)).toHaveText('Paste, open or drop a handler to check it.');
  await expect(doctor.getByRole('button', { name: /^Run/ })).toBeDisabled();

  // A bad handler: the findings are listed, with why, fix and the chapter, and marked in the gutter.
  await paste(page, doctor, leakyHandler);
  await expect(count(doctor)).toHaveText(/^3 findings: 1 error, 2 warnings/);
  const perInvocation = findings(doctor).filter({ hasText: 'per-invocation-connection' });
  await expect(perInvocation).toContainText('Line 4: pg.Client is created on every invocation');
  await expect(perInvocation).toContainText('Why: Each invocation pays a TCP, TLS and authentication handshake');
  await expect(perInvocation).toContainText('Fix: Create the pool once, at module level');
  await expect(perInvocation.getByRole('link', { name: 'Chapter: The problem' })).toHaveAttribute('href', '/guide/the-problem/');
  await expect(perInvocation.getByRole('link', { name: 'Sandbox: direct-connection' })).toHaveAttribute('href', '/guide/the-problem/#sandbox-direct-connection');
  await expect(doctor.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(1);
  await expect(doctor.locator('.cm-lintRange-error').first()).toBeVisible();
  // The arithmetic follows the reader's figures: 100 environments against a db.t3.micro's 112 − 5.
  await expect(doctor.locator('[data-arithmetic]')).toContainText('max_connections 112 (the nominal figure) leaves 107 for your function');
  await expectAccessible(page);
  await screenshots(page, 'findings');

  // Through the spike: the leaked connections fill max_connections and PostgreSQL refuses the rest.
  // 20 environments are enough (each keeps every connection it opens) and keep the run light.
  await doctor.getByLabel(/^Concurrency/).fill('20');
  await run(doctor);
  await expect(doctor.locator('[data-verdict]')).toHaveAttribute('data-result', 'failed');
  await expect(doctor.locator('[data-summary]')).toContainText('53300');
  // The first refusals take the last ordinary slots ("too many clients"), or RDS's reserved ones, in PostgreSQL's words.
  await expect(doctor.locator('[data-summary]')).toContainText(/sorry, too many clients already|remaining connection slots are reserved/);
  await expect(doctor.locator('[data-summary]').getByRole('row', { name: /Peak database connections/ })).toContainText('of max_connections 112');
  await expect(doctor.locator('[data-chart] canvas').first()).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'failed-run');

  // The reader rewrites it to a module-level pool; the doctor still counts 3 connections an environment.
  await paste(page, doctor, pooledHandler);
  await expect(count(doctor)).toHaveText(/^1 finding: 0 errors, 1 warning/);
  const poolSize = findings(doctor).filter({ hasText: 'pool-size' });
  await expect(poolSize).toContainText('Line 3: pg.Pool may hold 3 connections per environment (max: 3)');
  // At 50 environments the arithmetic fails too: 3 connections each are more than the database has.
  await doctor.getByLabel(/^Concurrency/).fill('50');
  await expect(count(doctor)).toHaveText(/^2 findings: 1 error, 1 warning/);
  await expect(doctor.locator('[data-arithmetic]')).toContainText('50 environments × 3 (max: 3) = 150 connections, above the 107 the database allows');

  // One click applies the fix; the finding and the budget's go, and the editor has the new code.
  await poolSize.getByRole('button', { name: 'Apply the fix: Set max: 1' }).click();
  await expect(count(doctor)).toHaveText('No findings: nothing the doctor checks for stands out.');
  await expect(findings(doctor)).toHaveCount(0);
  await expect(doctor.locator('.cm-lint-marker-error, .cm-lint-marker-warning')).toHaveCount(0);
  await expect(doctor.locator('.cm-content')).toContainText('new pg.Pool({ max: 1, idleTimeoutMillis');
  await expect(page.getByRole('heading', { name: 'Findings' })).toBeFocused();
  await doctor.getByLabel(/^Concurrency/).fill('20');

  await run(doctor);
  await expect(doctor.locator('[data-verdict]')).toHaveAttribute('data-result', 'passed');
  await expect(doctor.locator('[data-verdict]')).toContainText(/^All [\d,]+ invocations succeeded/);
  await expect(doctor.locator('[data-summary]')).toContainText('None: every invocation succeeded.');
  await expectAccessible(page);
  await screenshots(page, 'fixed-run');
});

test('the share link carries the code and the settings into a fresh page', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const doctor = await openDoctor(page);
  await paste(page, doctor, leakyHandler.replace('event.orderId', 'event.id'));
  await doctor.getByLabel('Pattern').selectOption('rds-proxy');
  await doctor.getByLabel(/^Concurrency/).fill('250');
  await doctor.getByLabel('Instance class').selectOption('db.t3.medium');
  // Behind RDS Proxy a connection per invocation is the proxy's to multiplex: no error, the warnings stay.
  await expect(count(doctor)).toHaveText(/^2 findings: 0 errors, 2 warnings/);
  await doctor.getByRole('button', { name: 'Copy share link' }).click();
  await expect(doctor.locator('[data-status]')).toContainText('Share link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URL(link).hash).toMatch(/^#run=doctor~/);

  const fresh = await page.context().newPage();
  const opened = await openDoctor(fresh, link);
  await expect(opened.locator('.cm-content')).toContainText('[event.id]');
  await expect(opened.getByLabel('Pattern')).toHaveValue('rds-proxy');
  await expect(opened.getByLabel(/^Concurrency/)).toHaveValue('250');
  await expect(opened.getByLabel('Instance class')).toHaveValue('db.t3.medium');
  await expect(count(opened)).toHaveText(/^2 findings: 0 errors, 2 warnings/);

  // A damaged link says so and changes nothing.
  const damaged = await openDoctor(await page.context().newPage(), '/doctor/#run=doctor~not-a-state');
  await expect(damaged.getByRole('alert')).toContainText('This share link could not be read');
});

test('the editor loads when the reader reaches for the code, and keeps what they pasted before it was there', async ({ page }) => {
  const doctor = await openDoctor(page);
  // The page is ready with its code as static HTML: CodeMirror has not loaded.
  await expect(codeBox(doctor)).toHaveAttribute('data-code-static', '');
  await expect(doctor.locator('.cm-editor')).toHaveCount(0);
  // Where on the page (not in the viewport: focusing scrolls) an element's box starts.
  const pagePlace = (element: Element) => {
    const box = element.getBoundingClientRect();
    return { x: box.left + scrollX, y: box.top + scrollY };
  };
  const before = await codeBox(doctor).evaluate(pagePlace);

  // Focused and pasted into in one task, before the editor's modules can have arrived.
  await codeBox(doctor).evaluate((block, text) => {
    block.focus();
    const data = new DataTransfer();
    data.setData('text/plain', text);
    block.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, leakyHandler);
  await expect(doctor.locator('.cm-content')).toBeFocused();
  await expect(doctor.locator('.cm-content')).toContainText('const client = new pg.Client();');
  await expect(findings(doctor).filter({ hasText: 'per-invocation-connection' })).toHaveCount(1);
  await expect(doctor.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(1);

  // The editor took the static code's place: its left edge and top where the static code's were.
  expect(await doctor.locator('.cm-editor').evaluate(pagePlace)).toEqual(before);
});

test('a file opened or dropped sets the language; Python is checked, not run', async ({ page }) => {
  const doctor = await openDoctor(page);
  await doctor.getByLabel('Open a handler file').setInputFiles({
    name: 'lambda_function.py',
    mimeType: 'text/x-python',
    buffer: Buffer.from('import psycopg2\n\ndef lambda_handler(event, context):\n    conn = psycopg2.connect(host="db", connect_timeout=5)\n    return conn\n'),
  });
  await expect(doctor.getByLabel('Language')).toHaveValue('python');
  await expect(doctor.locator('[data-file-name]')).toHaveText('lambda_function.py');
  await expect(findings(doctor).filter({ hasText: 'per-invocation-connection' })).toContainText('Line 4: psycopg2.connect is created on every invocation');
  await expect(doctor.getByRole('button', { name: /^Run/ })).toBeDisabled();
  await expect(doctor.locator('[data-status]')).toContainText('Python handlers are checked, not run: the simulator runs JavaScript and TypeScript handlers.');

  // Dropped onto the editor: the file replaces the code, its name chooses TypeScript.
  await doctor.locator('[data-editor]').evaluate((element) => {
    const data = new DataTransfer();
    data.items.add(new File(["import { Pool } from 'pg';\nconst pool: Pool = new Pool({ max: 4, idleTimeoutMillis: 1000 });\nexport const handler = async () => (await pool.query('SELECT 1')).rows;\n"], 'handler.ts'));
    element.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    element.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(doctor.getByLabel('Language')).toHaveValue('typescript');
  await expect(doctor.locator('.cm-content')).toContainText('const pool: Pool');
  await expect(findings(doctor).filter({ hasText: 'pool-size' })).toContainText('Line 2: pg.Pool may hold 4 connections per environment (max: 4)');
  await expect(doctor.getByRole('button', { name: /^Run/ })).toBeEnabled();

  // A file in no language the doctor reads is named, and the code stays.
  await doctor.getByLabel('Open a handler file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(doctor.getByRole('alert')).toContainText('notes.txt is in no language the doctor reads');
  await expect(doctor.locator('.cm-content')).toContainText('const pool: Pool');
});

test('keyboard only: from a finding to its line, the fix applied, at 360 px in both themes', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 360, height: 800 });
  const doctor = await openDoctor(page);
  await paste(page, doctor, pooledHandler);
  const poolSize = findings(doctor).filter({ hasText: 'pool-size' });
  const fix = poolSize.getByRole('button', { name: 'Apply the fix: Set max: 1' });
  await expect(fix).toBeVisible();
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  await screenshots(page, 'findings');

  // Escape leaves the editor's Tab trap; Tab then walks the page's controls to the finding.
  await page.keyboard.press('Escape');
  const show = poolSize.getByRole('button', { name: 'Show line 3' });
  for (let step = 0; step < 20 && !(await show.evaluate((element) => element === document.activeElement)); step++) await page.keyboard.press('Tab');
  await expect(show).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(doctor.locator('.cm-content')).toBeFocused();
  await page.keyboard.press('Escape');
  for (let step = 0; step < 20 && !(await fix.evaluate((element) => element === document.activeElement)); step++) await page.keyboard.press('Tab');
  await expect(fix).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(count(doctor)).toHaveText('No findings: nothing the doctor checks for stands out.');
  await expectNoHorizontalScroll(page);
});
