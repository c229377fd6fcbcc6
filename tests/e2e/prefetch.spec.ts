/**
 * Prefetch (prefetch.ts): a sandbox nearing the viewport, once the reader has scrolled, typed, touched
 * or moved the pointer, has the Worker start downloading PostgreSQL before Run, unless the reader
 * saves data.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { runAndWait, saveData, scrollToSandbox } from './sandbox-steps.ts';

/** Requests for PGlite's WebAssembly made by the page or its Worker. */
function watchWasm(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (request) => {
    if (/pglite[^/]*\.wasm/.test(new URL(request.url()).pathname)) requested.push(request.url());
  });
  return requested;
}

test('scrolling to a sandbox starts the PostgreSQL download before Run, and Run then works', async ({ page }) => {
  const wasm = watchWasm(page);
  await page.goto('/guide/the-problem/');
  expect(wasm).toEqual([]);
  const sandbox = await scrollToSandbox(page, 'direct-connection');
  await expect.poll(() => wasm.length, { timeout: 20_000 }).toBe(1);
  await runAndWait(sandbox);
  // The Run took the prefetched files: nothing was downloaded twice.
  expect(wasm).toHaveLength(1);
});

test('the download starts a viewport ahead of the sandbox, before its controls load', async ({ page }) => {
  const wasm = watchWasm(page);
  await page.goto('/guide/the-problem/');
  // The sandbox's top 0.92 viewports below the screen: within the prefetch's margin (one viewport),
  // beyond the 600 px at which the island loads its controls.
  await page.evaluate(() => {
    const top = document.querySelector('connlab-sandbox[data-sandbox="direct-connection"]')!.getBoundingClientRect().top + scrollY;
    scrollTo(0, top - innerHeight * 1.92);
  });
  await expect.poll(() => wasm.length, { timeout: 20_000 }).toBe(1);
  await expect(page.locator('connlab-sandbox[data-sandbox="direct-connection"]')).not.toHaveAttribute('data-ready', 'true');
});

test('a sandbox near at load waits for the reader: nothing downloads until they move the pointer', async ({ page }) => {
  const wasm = watchWasm(page);
  await page.goto('/guide/beyond-default-compute/');
  // The premise: the chapter's first sandbox is within the prefetch's margin (one viewport) unscrolled.
  const viewports = await page.evaluate(() => document.querySelector('connlab-sandbox')!.getBoundingClientRect().top / innerHeight);
  expect(viewports).toBeLessThan(2);
  await page.waitForTimeout(3000);
  expect(wasm).toEqual([]);
  await page.mouse.move(200, 200);
  await expect.poll(() => wasm.length, { timeout: 20_000 }).toBe(1);
});

test('a scroll made before the watch is set counts: the download starts with no event after it', async ({ page }) => {
  const wasm = watchWasm(page);
  // Hold the prefetch module back until the reader has scrolled once, as on a slow start-up.
  let release!: () => void;
  const scrolled = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  await page.route(/\/_astro\/prefetch\.[^/]*\.js$/, async (route) => {
    held = true;
    await scrolled;
    await route.continue();
  });
  await page.goto('/guide/the-problem/', { waitUntil: 'domcontentloaded' });
  await expect.poll(() => held).toBe(true);
  await page.evaluate(() => {
    const top = document.querySelector('connlab-sandbox[data-sandbox="direct-connection"]')!.getBoundingClientRect().top + scrollY;
    scrollTo(0, top - innerHeight * 1.5);
  });
  release();
  await expect.poll(() => wasm.length, { timeout: 20_000 }).toBe(1);
});

test('under Save-Data nothing is downloaded until Run', async ({ page }) => {
  await saveData(page);
  const wasm = watchWasm(page);
  await page.goto('/guide/the-problem/');
  const sandbox = await scrollToSandbox(page, 'direct-connection');
  await page.waitForTimeout(3000);
  expect(wasm).toEqual([]);
  await runAndWait(sandbox);
  expect(wasm).toHaveLength(1);
});
