/** The built site keeps its weight budgets: reading costs little (DESIGN.md, principle 6). */
import { expect, test } from '@playwright/test';
import { doctorPageBudgetGzip, measureSite, readingPageBudgetGzip, sandboxPageBudgetGzip } from '../../scripts/lib/page-weight.mjs';

const pages = measureSite(new URL('../../dist/', import.meta.url).pathname);

test('a reading page ships at most 20 KB of JavaScript (gzip), islands included', () => {
  const reading = pages.filter((page) => !page.hasSandbox && !page.hasWizard && !page.hasDoctor);
  expect(reading.length).toBeGreaterThanOrEqual(5);
  const over = reading.filter((page) => page.jsBeforeRun.gzip > readingPageBudgetGzip).map((page) => `${page.page}: ${page.jsBeforeRun.gzip} bytes`);
  expect(over).toEqual([]);
  // The measurement itself must see the scripts the pages load.
  expect(pages.find((page) => page.page === '/guide/pools-per-environment/')?.js.files).toBeGreaterThan(0);
});

test('a chapter with a sandbox ships at most 150 KB of JavaScript (gzip) before Run', () => {
  const withSandbox = pages.filter((page) => page.hasSandbox);
  expect(withSandbox.map((page) => page.page)).toContain('/guide/the-problem/');
  for (const page of withSandbox) {
    // The editor island is counted: it loads as the sandbox scrolls into view.
    expect(page.jsBeforeRun.files, page.page).toBeGreaterThan(page.js.files);
    expect(page.jsBeforeRun.gzip, page.page).toBeLessThanOrEqual(sandboxPageBudgetGzip);
  }
});

test('"Check your handler" ships at most 200 KB of JavaScript (gzip) before Run, and is the only page with the doctor', () => {
  const withDoctor = pages.filter((page) => page.hasDoctor);
  expect(withDoctor.map((page) => page.page)).toEqual(['/doctor/']);
  const doctor = withDoctor[0]!;
  // The page's code loads with it (an import the measurement follows), not in the site's shared scripts.
  expect(doctor.jsBeforeRun.files).toBeGreaterThan(doctor.js.files);
  expect(doctor.jsBeforeRun.gzip).toBeLessThanOrEqual(doctorPageBudgetGzip);
  expect(pages.find((page) => page.page === '/doctor/rules/')?.jsBeforeRun.gzip).toBeLessThanOrEqual(readingPageBudgetGzip);
});
