/** The built site keeps its weight budgets: reading costs little (DESIGN.md, principle 6). */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { doctorPageBudgetGzip, measureSite, readingPageBudgetGzip, sandboxEditorBudgetGzip, sandboxPageBudgetGzip } from '../../scripts/lib/page-weight.mjs';

const pages = measureSite(new URL('../../dist/', import.meta.url).pathname);
const withSandbox = pages.filter((page) => page.hasSandbox);

test('a reading page ships at most 20 KB of JavaScript (gzip), islands included', () => {
  const reading = pages.filter((page) => !page.hasSandbox && !page.hasWizard && !page.hasDoctor);
  expect(reading.length).toBeGreaterThanOrEqual(5);
  const over = reading.filter((page) => page.jsBeforeRun.gzip > readingPageBudgetGzip).map((page) => `${page.page}: ${page.jsBeforeRun.gzip} bytes`);
  expect(over).toEqual([]);
  // The measurement itself must see the scripts the pages load.
  expect(pages.find((page) => page.page === '/guide/pools-per-environment/')?.js.files).toBeGreaterThan(0);
});

test('a chapter with a sandbox ships at most 30 KB of JavaScript (gzip) to a reader who does not touch it', () => {
  expect(withSandbox.map((page) => page.page)).toContain('/guide/the-problem/');
  for (const page of withSandbox) {
    // The sandbox island is counted: it loads as the sandbox scrolls into view. The editor is not: its code is static HTML.
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

test('once the reader touches the code, the editor adds its chunk and stays within its own budget', () => {
  for (const page of withSandbox) {
    // The measurement must find the editor the island loads on demand, or the first budget would mean nothing.
    expect(page.jsWithEditor.files, page.page).toBeGreaterThan(page.jsBeforeRun.files);
    expect(page.jsWithEditor.gzip - page.jsBeforeRun.gzip, page.page).toBeGreaterThan(50 * 1024);
    expect(page.jsWithEditor.gzip, page.page).toBeLessThanOrEqual(sandboxEditorBudgetGzip);
  }
});

test('the connection doctor loads with the editor, never with a reading page or before the reader touches the code', () => {
  // A rule id is in the doctor's code and nowhere else a page loads.
  const doctorCode = (files: string[]) => files.some((file) => /[`'"]per-invocation-connection[`'"]/.test(readFileSync(file, 'utf8')));
  // The doctor's own page (/doctor/) is the one place it belongs before interaction.
  const shippedEarly = pages.filter((page) => page.page !== '/doctor/' && doctorCode(page.scripts.beforeRun)).map((page) => page.page);
  expect(shippedEarly).toEqual([]);
  for (const page of withSandbox) expect(doctorCode(page.scripts.withEditor), page.page).toBe(true);
});
