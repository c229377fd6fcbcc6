/**
 * Every end-to-end test page is watched: a console error, an uncaught exception, a Content Security
 * Policy violation (even one the page's code catches, as Lighthouse's best-practices audit counts it),
 * or a request to any host but the local server fails the test, and `expectAccessible` runs axe on demand.
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

interface Watch {
  consoleErrors: string[];
  foreignRequests: string[];
}

export const test = base.extend<{ watch: Watch }>({
  watch: [
    async ({ page }, use) => {
      const watch: Watch = { consoleErrors: [], foreignRequests: [] };
      page.on('console', (message) => {
        if (message.type() === 'error') watch.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => watch.consoleErrors.push(`uncaught: ${error.message}`));
      await page.exposeFunction('__connlabCspViolation', (text: string) => watch.consoleErrors.push(text));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = (window as unknown as { __connlabCspViolation(text: string): void }).__connlabCspViolation;
          report(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
        });
      });
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'data:' || url.protocol === 'blob:') return;
        if (url.hostname !== '127.0.0.1') watch.foreignRequests.push(request.url());
      });
      await use(watch);
      expect(watch.consoleErrors, 'console errors on the pages this test visited').toEqual([]);
      expect(watch.foreignRequests, 'requests to hosts other than 127.0.0.1').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * axe-core with WCAG 2.2's target-size rule switched on: axe leaves it off by default, Lighthouse's
 * accessibility audit runs it, and a tap target that another focusable box runs under fails it.
 */
export function axe(page: Page): AxeBuilder {
  return new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } });
}

/**
 * Fails on any serious or critical axe-core violation, listing what and where.
 *
 * Expressive Code makes a code block focusable only while it scrolls sideways, and checks that 250 ms
 * after the block is resized, when the page is idle: right after a change of viewport a block can
 * scroll and not be focusable yet. axe waits for that check, and fails as before if it never comes.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(() => [...document.querySelectorAll('.expressive-code pre')].filter((pre) => pre.scrollWidth > pre.clientWidth && !pre.hasAttribute('tabindex')).length),
    )
    .toBe(0);
  const results = await axe(page).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(blocking, `axe-core violations on ${page.url()}`).toEqual([]);
}

/** Full-page screenshots kept as test artifacts in test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
}

/** At narrow widths nothing may force the reader to scroll sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
}
