/**
 * What a reader sees around a run: what to look for before it, each expectation ticked after it
 * under a one-line verdict with the decisive numbers, and a chart that points at the cause (the limit
 * as a labelled line, markers where it was reached and where the first error came, errors in their
 * own strip, a pinned run underneath), in both themes, on a laptop and on a phone.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './fixtures.ts';
import { openSandbox, scrollToSandbox } from './sandbox-steps.ts';

const runTimeout = 90_000;
const checklist = (sandbox: Locator) => sandbox.locator('[data-checklist] li');
const verdict = (sandbox: Locator) => sandbox.locator('[data-verdict]');
const legend = (sandbox: Locator) => sandbox.locator('.chart-legend');

/** Counts how often the verdict's live region is filled: once per run, or a screen reader hears it twice. */
async function watchAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const region = document.querySelector('connlab-sandbox [data-verdict]')!;
    const filled: string[] = [];
    (window as unknown as { announcements: string[] }).announcements = filled;
    new MutationObserver(() => {
      if (region.textContent) filled.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
}
const announcements = (page: Page) => page.evaluate(() => (window as unknown as { announcements: string[] }).announcements);

async function runAndJudge(sandbox: Locator): Promise<void> {
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('status')).toContainText('Run finished', { timeout: runTimeout });
  await expect(verdict(sandbox)).not.toBeEmpty();
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`in the ${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test('the checklist is ticked from the run, under a verdict, beside a chart that marks the limit and the first error', async ({ page }) => {
      test.setTimeout(240_000);
      await page.goto('/guide/pinning/');
      const sandbox = await scrollToSandbox(page, 'proxy-pinning');

      // Before the run: what to look for, in plain words, nothing ticked yet.
      await expect(checklist(sandbox)).toHaveCount(2);
      await expect(checklist(sandbox).first()).toContainText('each session pins a database connection');
      await expect(checklist(sandbox).first()).toHaveAttribute('data-state', 'pending');
      // Another value makes it another run: no expectation is written for it.
      await sandbox.getByLabel(/Work per request/).fill('20');
      await expect(checklist(sandbox)).toHaveCount(0);
      await expect(sandbox.locator('[data-checklist-empty]')).toBeVisible();
      await sandbox.getByLabel(/Work per request/).fill('300');
      await expect(checklist(sandbox)).toHaveCount(2);

      // Run: the outcome comes into view, instantly when the reader asks for less motion.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.evaluate(() => window.scrollTo(0, 0));
      await watchAnnouncements(page);
      await sandbox.getByRole('button', { name: /^Run/ }).click();
      await expect(sandbox.locator('[data-outcome]')).toBeInViewport();
      await expect(sandbox.getByRole('status')).toContainText('Run finished', { timeout: runTimeout });

      await expect(checklist(sandbox)).toHaveCount(2);
      for (const item of await checklist(sandbox).all()) await expect(item).toHaveAttribute('data-state', 'passed');
      await expect(checklist(sandbox).first()).toContainText('Seen in this run');
      await expect(verdict(sandbox)).toHaveAttribute('aria-live', 'polite');
      await expect(verdict(sandbox).locator('span:not(.visually-hidden)')).toHaveText(
        /^[\d,]+ of [\d,]+ invocations failed: the proxy's database connections reached 21 of 21, 21 of them pinned; [\d,]+ clients timed out waiting for one, the first at [\d.]+ s\.$/,
      );
      expect(await announcements(page)).toHaveLength(1);
      expect((await announcements(page))[0]).toMatch(/^Run finished\. 2 of 2 expectations seen\./);

      // The chart: the limit as a labelled line, markers with their times, errors in a strip of their own.
      await expect(legend(sandbox).locator('[data-series="limit"]')).toHaveText('proxy cap 21');
      await expect(legend(sandbox).locator('[data-series="proxy.DatabaseConnectionsCurrentlySessionPinned"]')).toHaveText('Pinned');
      await expect(sandbox.locator('[data-marker="limit"]')).toHaveText(/^Limit reached at [\d.]+ s \(proxy cap 21\)$/);
      await expect(sandbox.locator('[data-marker="error"]')).toHaveText(/^First error at [\d.]+ s$/);
      await expect(sandbox.locator('.chart-main canvas')).toBeVisible();
      await expect(sandbox.locator('.chart-strip canvas')).toBeVisible();
      await expect(sandbox.locator('[data-chart]')).toHaveAttribute('aria-label', /against proxy cap 21; limit reached at [\d.]+ s; first error at [\d.]+ s/);
      const strip = await sandbox.locator('.chart-strip').boundingBox();
      const main = await sandbox.locator('.chart-main').boundingBox();
      expect(strip!.y).toBeGreaterThanOrEqual(main!.y + main!.height - 1);

      await expectAccessible(page);
      await expectNoHorizontalScroll(page);
      await sandbox.screenshot({ path: `test-results/screenshots/verdict-${theme}-1280.png` });
      await sandbox.locator('[data-outcome]').screenshot({ path: `test-results/screenshots/verdict-outcome-${theme}-1280.png` });
      await sandbox.locator('[data-chart]').screenshot({ path: `test-results/screenshots/verdict-chart-${theme}-1280.png` });

      // A phone: the legend fits in two rows and nothing overflows.
      await page.setViewportSize({ width: 360, height: 800 });
      await expect.poll(async () => (await legend(sandbox).boundingBox())!.height).toBeLessThanOrEqual(2 * 0.75 * 16 * 1.3 + 4);
      await expectNoHorizontalScroll(page);
      await expectAccessible(page);
      await sandbox.screenshot({ path: `test-results/screenshots/verdict-${theme}-360.png` });
      await sandbox.locator('[data-chart]').screenshot({ path: `test-results/screenshots/verdict-chart-${theme}-360.png` });
    });
  });
}

test('the limit line is the run\'s max_connections; a pinned run is drawn faintly under the next; colours follow a theme change', async ({ page }) => {
  test.setTimeout(240_000);
  const sandbox = await openSandbox(page);
  await runAndJudge(sandbox);
  await expect(legend(sandbox).locator('[data-series="limit"]')).toHaveText('max_connections 112');
  await expect(sandbox.locator('[data-marker="limit"]')).toHaveText(/^Limit reached at [\d.]+ s \(max_connections 112\)$/);
  await expect(verdict(sandbox).locator('span:not(.visually-hidden)')).toHaveText(/^[\d,]+ of [\d,]+ invocations failed: connections reached 112 of 112 at [\d.]+ s\.$/);
  await sandbox.getByRole('button', { name: 'Pin this run' }).click();
  await sandbox.locator('[data-outcome]').scrollIntoViewIfNeeded();
  await sandbox.screenshot({ path: 'test-results/screenshots/chart-light-1280.png' });

  // The theme changes after the run: the chart is drawn again in the new colours, which keep their contrast.
  const swatch = legend(sandbox).locator('[data-series="DatabaseConnections"] .swatch');
  const before = await swatch.evaluate((element) => getComputedStyle(element).borderTopColor);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect.poll(() => swatch.evaluate((element) => getComputedStyle(element).borderTopColor)).not.toBe(before);
  await expectAccessible(page);
  await sandbox.screenshot({ path: 'test-results/screenshots/chart-dark-1280.png' });
  await page.setViewportSize({ width: 360, height: 800 });
  await expect.poll(async () => (await legend(sandbox).boundingBox())!.height).toBeLessThanOrEqual(2 * 0.75 * 16 * 1.3 + 4);
  await expectNoHorizontalScroll(page);
  await sandbox.screenshot({ path: 'test-results/screenshots/chart-dark-360.png' });
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  await sandbox.screenshot({ path: 'test-results/screenshots/chart-light-360.png' });
  await page.setViewportSize({ width: 1280, height: 800 });

  await sandbox.getByLabel(/Concurrent callers/).fill('300');
  await expect(sandbox.locator('[data-checklist-empty]')).toBeVisible();
  await runAndJudge(sandbox);
  await sandbox.locator('[data-chart]').screenshot({ path: 'test-results/screenshots/chart-pinned-light-1280.png' });
  await expect(legend(sandbox).locator('[data-series="pinned"]')).toHaveText('Pinned run');
  await expectAccessible(page);
});
