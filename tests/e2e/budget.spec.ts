/** The built site keeps its weight budgets: reading costs little (DESIGN.md, principle 6). */
import { expect, test } from '@playwright/test';
import { measureSite, readingPageBudgetGzip } from '../../scripts/lib/page-weight.mjs';

test('every page ships at most 20 KB of JavaScript (gzip) before the reader runs anything', () => {
  const pages = measureSite(new URL('../../dist/', import.meta.url).pathname);
  expect(pages.length).toBeGreaterThanOrEqual(5);
  const over = pages.filter((page) => page.js.gzip > readingPageBudgetGzip).map((page) => `${page.page}: ${page.js.gzip} bytes`);
  expect(over).toEqual([]);
  // The measurement itself must see the scripts the pages load.
  expect(pages.find((page) => page.page === '/guide/the-problem/')?.js.files).toBeGreaterThan(0);
});
