/**
 * A new reader's first visit: the home page, into the guide, through the chapters, searching,
 * switching the theme and copying an example. Each page is checked for console errors, foreign
 * requests (fixtures.ts) and accessibility, and photographed at desktop and phone widths.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectAccessible, expectNoHorizontalScroll, screenshot, test } from './fixtures.ts';
import { openEditor, scrollToSandbox } from './sandbox-steps.ts';

const widths = [1280, 360] as const;

const dist = new URL('../../dist/', import.meta.url).pathname;
// Every built page: the fixed ones and each chapter the build produced.
const everyPage: Array<[string, string]> = [
  ['home', '/'],
  ['guide', '/guide/'],
  ['search', '/search/'],
  ['wizard', '/wizard/'],
  ['doctor', '/doctor/'],
  ['doctor-rules', '/doctor/rules/'],
  ...readdirSync(join(dist, 'guide'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry): [string, string] => [`chapter-${entry.name}`, `/guide/${entry.name}/`]),
];

for (const width of widths) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('every page reads well, passes axe and stays within the screen', async ({ page }) => {
      test.setTimeout(240_000);
      expect(everyPage.length).toBeGreaterThan(8);
      for (const [name, path] of everyPage) {
        await page.goto(path);
        await expect(page.locator('h1')).toBeVisible();
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
        await screenshot(page, name);
      }
    });

    // Lighthouse's bar is a cumulative layout shift under 0.05. Scripts are held back until the page has
    // painted, as on a slow phone, so anything a script moves after first paint is counted.
    test('no page moves under the reader while its scripts load', async ({ page }) => {
      test.setTimeout(240_000);
      await page.route(/\/_astro\/.*\.js$/, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await route.continue();
      });
      await page.addInitScript(() => {
        const shifts: number[] = [];
        (window as unknown as { __layoutShift: number[] }).__layoutShift = shifts;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
            if (!entry.hadRecentInput) shifts.push(entry.value);
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      for (const [, path] of everyPage) {
        await page.goto(path, { waitUntil: 'load' });
        await page.waitForLoadState('networkidle');
        const shift = await page.evaluate(() => (window as unknown as { __layoutShift: number[] }).__layoutShift.reduce((a, b) => a + b, 0));
        expect(shift, `cumulative layout shift on ${path} at ${width} px`).toBeLessThan(0.05);
      }
    });
  });
}

test('the home page leads into the first chapter, and the chapters link to each other', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('database said no');
  await page.getByRole('link', { name: 'Start with the problem' }).click();
  await expect(page).toHaveURL(/\/guide\/the-problem\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'The problem' })).toBeVisible();

  const chapters = page.getByRole('navigation', { name: 'Chapters' });
  await expect(chapters.getByRole('link', { name: /The problem/ })).toHaveAttribute('aria-current', 'page');

  const pager = page.getByRole('navigation', { name: 'Previous and next chapters' });
  const next = pager.getByRole('link', { name: /Next/ });
  await expect(next).toBeVisible();
  const nextTitle = (await next.locator('.pager-title').textContent())?.trim() ?? '';
  await next.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(nextTitle);
  await expect(chapters.getByRole('link', { name: new RegExp(nextTitle) })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('navigation', { name: 'Previous and next chapters' }).getByRole('link', { name: /Previous/ }).click();
  await expect(page).toHaveURL(/\/guide\/the-problem\/$/);
});

test('reading a chapter to its end marks it as read, and the mark survives a reload', async ({ page }) => {
  await page.goto('/guide/the-problem/');
  const progress = page.locator('[data-progress]');
  await expect(progress).toBeHidden();
  await page.getByRole('navigation', { name: 'Previous and next chapters' }).scrollIntoViewIfNeeded();
  await expect(progress).toHaveText(/^1 of \d+ read$/);
  await page.reload();
  await expect(progress).toHaveText(/^1 of \d+ read$/);
  await expect(page.locator('li[data-chapter="the-problem"]')).toHaveClass(/is-read/);
});

test('search finds chapter 1 by a term it explains', async ({ page }) => {
  await page.goto('/search/');
  await page.getByLabel('Search terms').fill('max_connections');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const result = page.locator('[data-search-results] a', { hasText: 'The problem' });
  await expect(result).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'results for' })).toContainText('max_connections');
  await result.click();
  await expect(page).toHaveURL(/\/guide\/the-problem\/$/);
});

test('search opens from any page with / or Ctrl+K and answers as the reader types', async ({ page }) => {
  await page.goto('/guide/pinning/');
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await expect(dialog).toBeHidden();

  // Typing "/" in the sandbox editor types it; it does not open search.
  const editor = await openEditor(await scrollToSandbox(page, 'proxy-pinning'));
  await page.keyboard.press('/');
  await expect(dialog).toBeHidden();
  await editor.press('Control+z');

  await page.locator('h1').click();
  await page.keyboard.press('/');
  await expect(dialog).toBeVisible();
  const input = dialog.getByLabel('Search the guide');
  await expect(input).toBeFocused();
  await page.keyboard.type('max_connections');
  const first = dialog.getByRole('link').first();
  await expect(first).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText('for “max_connections”');
  await expectAccessible(page);
  await page.keyboard.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await expect(input).toHaveValue('max_connections');
  const target = (await first.getAttribute('href')) ?? '';
  await input.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${target.replaceAll('/', '\\/')}$`));
});

test('the header search link opens the dialog, and leads to the search page when opened in a new tab', async ({ page }) => {
  await page.goto('/wizard/');
  const link = page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Search' });
  await expect(link).toHaveAttribute('href', '/search/');
  await link.click();
  await expect(page.getByRole('dialog', { name: 'Search' })).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog', { name: 'Search' })).toBeHidden();
});

test('the on-page contents mark the section the reader is in', async ({ page }) => {
  await page.goto('/guide/the-problem/');
  const contents = page.getByRole('complementary', { name: 'On this page' });
  await expect(contents.locator('a[aria-current]')).toHaveCount(0);
  await page.locator('#the-error-your-function-gets-back').evaluate((heading) => heading.scrollIntoView());
  await expect(contents.locator('a[aria-current="location"]')).toHaveText('The error your function gets back');
  await page.locator('#how-many-connections-can-the-database-take').evaluate((heading) => heading.scrollIntoView());
  await expect(contents.locator('a[aria-current="location"]')).toHaveText('How many connections can the database take?');
});

test('chapter 1 opens with a picture of the problem that follows its slider and the keyboard', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/guide/the-problem/');
  const figure = page.locator('[data-slots-figure]');
  // Reduced motion: the end state from the start, no filling up.
  await expect(figure.locator('figcaption')).toContainText('150 concurrent invocations: 107 hold a connection, 43 refused with FATAL 53300');
  const slider = figure.getByRole('slider', { name: 'Concurrent invocations' });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(figure.locator('figcaption')).toContainText('200 concurrent invocations: 107 hold a connection, 93 refused');
  await expect(figure.locator('circle.refused')).toHaveCount(93);
  await expect(figure.locator('rect.used')).toHaveCount(107);
  await page.keyboard.press('Home');
  await expect(figure.locator('figcaption')).toHaveText('1 concurrent invocation: each holds one of the 112 slots; 106 usable slots left.');
  await expect(figure.locator('circle.refused')).toHaveCount(0);
  await slider.fill('108');
  await expect(figure.locator('figcaption')).toContainText('107 hold a connection, 1 refused');
  expect(await figure.locator('circle.refused').evaluate((circle) => getComputedStyle(circle).animationName)).toBe('none');

  // With motion allowed, refused environments flash, and the home page carries the small version.
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await page.goto('/');
  const small = page.locator('[data-slots-figure]');
  await expect(small.locator('circle.refused')).toHaveCount(43, { timeout: 10_000 });
  // The figure fills up from zero as it comes into view: ask until the refused ones are drawn again.
  await expect.poll(() => small.locator('circle.refused').first().evaluate((circle) => getComputedStyle(circle).animationName), { timeout: 10_000 }).toMatch(/refused-flash/);
});

test('the proxy, Data API and queue chapters draw their pattern where they introduce it', async ({ page }) => {
  const flows: Array<[string, string[]]> = [
    ['/guide/rds-proxy/', ['Lambda function', 'RDS Proxy', 'PostgreSQL']],
    ['/guide/data-api/', ['Lambda function', 'RDS Data API', 'Aurora PostgreSQL']],
    ['/guide/queues-and-batching/', ['API function', 'SQS queue', 'Consumer function', 'PostgreSQL']],
  ];
  for (const [path, nodes] of flows) {
    await page.goto(path);
    const diagram = page.locator('.pattern-diagram');
    await expect(diagram.locator('.node strong')).toHaveText(nodes);
    // The picture comes with the pattern, before the chapter asks the reader to run it.
    const [diagramTop, sandboxTop] = await Promise.all([
      diagram.evaluate((element) => element.getBoundingClientRect().top),
      page.locator('connlab-sandbox').first().evaluate((element) => element.getBoundingClientRect().top),
    ]);
    expect(diagramTop).toBeLessThan(sandboxTop);
  }
});

test('the theme switch changes the theme and remembers it', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/guide/the-problem/');
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: 'Switch to dark theme' });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lightBackground = await background();
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await background()).not.toBe(lightBackground);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await expectAccessible(page);
});

test('a code block copies its exact code', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/guide/the-problem/');
  const block = page.locator('.expressive-code', { hasText: 'handler.mjs' }).first();
  const shownLines = (await block.locator('pre code').innerText()).split('\n').filter((line) => line.trim());
  await block.hover();
  await block.getByRole('button', { name: /copy/i }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  // The clipboard holds the code as written: the lines shown, and the blank lines between them.
  expect(copied.split('\n').filter((line) => line.trim())).toEqual(shownLines);
  expect(copied.startsWith("import { readFileSync } from 'node:fs';\nimport { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\nimport pg from 'pg';\n\n// The RDS")).toBe(true);
  expect(copied).toContain("'SELECT id, status, total FROM orders WHERE id = $1'");
});

test('the Node.js / Python choice applies to every example and persists', async ({ page }) => {
  await page.goto('/guide/the-problem/');
  const firstTabs = page.locator('[data-code-tabs]').first();
  await expect(firstTabs.getByText('import pg from', { exact: false })).toBeVisible();
  await firstTabs.getByRole('tab', { name: 'Python' }).click();
  await expect(firstTabs.getByRole('tab', { name: 'Python' })).toHaveAttribute('aria-selected', 'true');
  await expect(firstTabs.getByText('import psycopg2').first()).toBeVisible();
  await expect(firstTabs.getByText('import pg from', { exact: false })).toBeHidden();
  // The second example on the page followed the choice.
  await expect(page.locator('[data-code-tabs]').nth(1).getByText('except OperationalError')).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-code-tabs]').first().getByText('import psycopg2').first()).toBeVisible();

  // Keyboard: arrow keys move between the tabs.
  const nodeTab = page.locator('[data-code-tabs]').first().getByRole('tab', { name: 'Node.js' });
  await page.locator('[data-code-tabs]').first().getByRole('tab', { name: 'Python' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(nodeTab).toBeFocused();
  await expect(nodeTab).toHaveAttribute('aria-selected', 'true');
});

test('an unknown address shows the 404 page with a way back', async ({ page, watch }) => {
  const response = await page.goto('/guide/no-such-chapter/');
  expect(response?.status()).toBe(404);
  // Chromium logs the 404 status of the document itself; that one is the point of this test.
  const expected = watch.consoleErrors.indexOf('Failed to load resource: the server responded with a status of 404 (Not Found)');
  expect(expected).toBeGreaterThanOrEqual(0);
  watch.consoleErrors.splice(expected, 1);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the chapters' }).click();
  await expect(page).toHaveURL(/\/guide\/$/);
});

test('pages are served with a strict Content-Security-Policy, as header and as meta tag', async ({ page, request }) => {
  const response = await request.get('/guide/the-problem/');
  const header = response.headers()['content-security-policy'] ?? '';
  expect(header).toContain("default-src 'self'");
  expect(header).toContain("frame-ancestors 'none'");
  expect(header).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(header).not.toMatch(/script-src[^;]*'unsafe-eval'/);
  // No page compiles WebAssembly itself: PostgreSQL runs in the engine Worker and search in Pagefind's.
  for (const path of ['/guide/', '/search/', '/guide/the-problem/']) {
    await page.goto(path);
    const meta = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
    expect(meta).toContain("default-src 'self'");
    expect(meta).not.toContain('wasm-unsafe-eval');
  }
});

test('built assets, PostgreSQL included, are cached by the browser after the first download', async ({ request }) => {
  const assets = readdirSync(join(dist, '_astro'));
  const wasm = assets.find((name) => /^pglite-.*\.wasm$/.test(name));
  expect(wasm, 'PGlite is part of the build').toBeDefined();
  const response = await request.head(`/_astro/${wasm}`);
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const worker = assets.find((name) => /\.worker-.*\.js$/.test(name));
  const workerResponse = await request.head(`/_astro/${worker}`);
  // The Worker evaluates the reader's code and compiles PostgreSQL: its policy says exactly that.
  expect(workerResponse.headers()['content-security-policy']).toBe("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; connect-src 'self'");
});
