/**
 * What a page does while it starts on a phone is Lighthouse's blocking time. The first number a page
 * formats with toLocaleString or Intl.NumberFormat starts the browser's ICU number formatting, which
 * took 65–360 ms on a 4× slowed CPU: the wizard, the doctor and every sandbox paid it while loading
 * (the share-link module formatted its limits as it was evaluated). Numbers on the start-up path are
 * formatted by hand (src/lib/format-number.ts); this keeps it so.
 */
import { expect, test } from './fixtures.ts';

const pages = [
  { path: '/wizard/', ready: 'connlab-wizard' },
  { path: '/doctor/', ready: '[data-doctor]' },
  { path: '/guide/the-problem/', ready: 'connlab-sandbox' },
];

test.use({ viewport: { width: 360, height: 800 } });

for (const { path, ready } of pages) {
  test(`${path} starts without ICU number formatting`, async ({ page }) => {
    await page.addInitScript(() => {
      const calls: string[] = [];
      (window as unknown as { __numberFormatting: string[] }).__numberFormatting = calls;
      const toLocaleString = Number.prototype.toLocaleString;
      Number.prototype.toLocaleString = function (this: number, ...args: Parameters<typeof toLocaleString>) {
        calls.push(new Error('toLocaleString').stack ?? 'toLocaleString');
        return toLocaleString.apply(this, args);
      };
      const NumberFormat = Intl.NumberFormat;
      Intl.NumberFormat = function (...args: ConstructorParameters<typeof NumberFormat>) {
        calls.push(new Error('Intl.NumberFormat').stack ?? 'Intl.NumberFormat');
        return new NumberFormat(...args);
      } as unknown as typeof Intl.NumberFormat;
    });
    await page.goto(path);
    // An island mounts as it nears the screen, and marks itself ready once its start-up work is done.
    const island = page.locator(ready).first();
    await island.scrollIntoViewIfNeeded();
    await expect(island).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    const calls = await page.evaluate(() => (window as unknown as { __numberFormatting: string[] }).__numberFormatting);
    expect(calls).toEqual([]);
  });
}
