/**
 * Every sandbox after a run of its default variant, as a reader sees it on a laptop (1280 px) and on a
 * phone (360 px), in the light and the dark theme: one run per sandbox, then the width and the theme
 * change under the finished result (the chart redraws in the theme's colours). The pictures go to
 * test-results/screenshots/ for a person to look at; each shot is also checked for sideways scrolling,
 * and the sandbox by axe in each theme (the chapter around it is reader.spec's).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, expect, expectNoHorizontalScroll, test } from './fixtures.ts';
import { runAndWait, scrollToSandbox } from './sandbox-steps.ts';

const chapters = join(process.cwd(), 'content', 'chapters');
/** Each sandbox and the chapter that embeds it, as the chapters' MDX places them. */
const embedded = readdirSync(chapters)
  .filter((file) => file.endsWith('.mdx'))
  .flatMap((file) => [...readFileSync(join(chapters, file), 'utf8').matchAll(/<Sandbox id="([^"]+)"/g)].map((match) => ({ id: match[1]!, path: `/guide/${file.replace(/\.mdx$/, '')}/` })));

const widths = [1280, 360];
const themes = ['light', 'dark'] as const;

test('every sandbox folder is embedded in a chapter', () => {
  const folders = readdirSync(join(process.cwd(), 'sandboxes'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  expect(embedded.map((each) => each.id).sort()).toEqual(folders.map((entry) => entry.name).sort());
});

for (const { id, path } of embedded) {
  test(`${id}: the result of a run at ${widths.join(' and ')} px in both themes`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: widths[0]!, height: 900 });
    await page.goto(path);
    const sandbox = await scrollToSandbox(page, id);
    await runAndWait(sandbox, 180_000);
    await expect(sandbox.locator('[data-verdict]')).not.toBeEmpty();
    // The page's sticky header would cover the top of the sandbox in a picture of the sandbox alone.
    await page.locator('.site-header').evaluate((header) => (header.style.position = 'static'));
    for (const theme of themes) {
      await page.evaluate((chosen) => (document.documentElement.dataset.theme = chosen), theme);
      for (const width of widths) {
        await page.setViewportSize({ width, height: 900 });
        // The chart follows its box and the theme on the next frames.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        await expectNoHorizontalScroll(page);
        await sandbox.screenshot({ path: `test-results/screenshots/sandbox-${id}-${width}-${theme}.png` });
      }
      const { violations } = await axe(page).include(`connlab-sandbox[data-sandbox="${id}"]`).analyze();
      expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), `axe in the ${theme} theme`).toEqual([]);
    }
  });
}
