/**
 * The editor on demand: a sandbox shows its code as static HTML built with the page, and CodeMirror
 * loads only when the reader touches the code, in the same place, without moving anything.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures.ts';
import { codeView, openEditor, openSandbox, runAndWait, scrollToSandbox } from './sandbox-steps.ts';

/** Holds the editor's chunk at the network until the test lets it through (the browser may ask for it when idle). */
async function holdEditor(page: Page): Promise<{ requested(): boolean; release(): void }> {
  let requested = false;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_astro\/editor\.[^/]+\.js$/, async (route) => {
    requested = true;
    await held;
    await route.continue();
  });
  return { requested: () => requested, release: () => release() };
}

type Box = { x: number; y: number; width: number; height: number };
/** Where the code area, its first and last line of text, and the parameters below it are. */
async function layout(sandbox: Locator): Promise<Box[]> {
  return sandbox.evaluate((root) => {
    const code = root.querySelector('[data-editor]')!;
    const lines = code.querySelector('[data-code-static]') ?? code.firstElementChild!.shadowRoot!;
    const text = [...lines.querySelectorAll('.code-line, .cm-line')];
    return [code, text[0]!, text.at(-1)!, root.querySelector('[data-parameters]')!].map((element) => {
      const box = element.getBoundingClientRect();
      return { x: box.x, y: box.y + scrollY, width: box.width, height: box.height };
    });
  });
}

test('the code is static until the reader touches it; the editor then takes its place without moving anything', async ({ page }) => {
  test.setTimeout(180_000);
  const editorChunk = await holdEditor(page);
  const sandbox = await openSandbox(page);
  const code = sandbox.locator('[data-code-static]');
  await expect(code).toBeVisible();
  await expect(code).toHaveAttribute('role', 'textbox');
  await expect(code).toHaveAccessibleName('Handler code, handler.mjs. Ctrl+Enter runs it.');
  await expect(code).toContainText('new pg.Client({');
  // Highlighted at build time, with the editor's classes, and numbered as the editor numbers.
  await expect(code.locator('.tok-keyword').first()).toHaveText('import');
  const lineCount = (await code.locator('.code-line').allTextContents()).length;
  await expect(code.locator('.code-number')).toHaveCount(lineCount);
  await expect(sandbox.locator('.cm-editor')).toHaveCount(0);
  await expectAccessible(page);
  const before = await layout(sandbox);

  // The keyboard: the code takes the focus visibly; what the reader types before the editor is there is kept.
  await code.focus();
  expect(await code.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid');
  // Short enough that the first line does not wrap in the code's column beside the outcome: a longer
  // line would move what follows by the reader's own text, not by the swap measured below.
  await page.keyboard.type('// early ');
  await expect(sandbox.locator('.cm-editor')).toHaveCount(0);
  editorChunk.release();
  const editor = sandbox.locator('[data-editor] > div:first-child .cm-content');
  await expect(editor).toBeFocused();
  await expect(code).toHaveCount(0);
  await expect(editor).toContainText("// early import { readFileSync } from 'node:fs';");
  await expect(sandbox.locator('[data-edited]')).toBeVisible();

  const after = await layout(sandbox);
  for (const [index, name] of ['code area', 'first line', 'last line', 'parameters'].entries()) {
    for (const side of ['x', 'y', 'width', 'height'] as const) {
      // Text boxes: the static first and last lines carry the editor's 4 px padding inside them.
      const padding = index === 1 && side === 'y' ? 4 : (index === 1 || index === 2) && side === 'height' ? 4 : 0;
      expect(Math.abs(after[index]![side] - before[index]![side]), `${name} ${side}`).toBeLessThanOrEqual(padding + 0.5);
    }
  }

  // Typing edits the code, and Run uses the edit.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText("export const handler = async () => {\n  throw new Error('typed in the editor');\n};\n");
  await sandbox.getByLabel(/Concurrent callers/).fill('5');
  await runAndWait(sandbox, 120_000);
  await expect(sandbox.locator('[data-summary]')).toContainText('typed in the editor');
});

test('a reader who scrolls to a sandbox and reads its code downloads no editor', async ({ page }) => {
  const editorChunk = await holdEditor(page);
  const sandbox = await openSandbox(page);
  await expect(sandbox.locator('[data-code-static]')).toBeVisible();
  // Long enough for any idle-time or in-view preload to have asked for it.
  await page.mouse.move(10, 10);
  await page.mouse.wheel(0, 200);
  await page.waitForTimeout(3_000);
  expect(editorChunk.requested(), 'the editor chunk was requested without a touch').toBe(false);
  editorChunk.release();
});

test('an untouched sandbox runs and shares without loading the editor', async ({ page, browser, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const editorChunk = await holdEditor(page);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel(/Concurrent callers/).fill('6');
  await sandbox.getByRole('button', { name: 'Copy share link' }).click();
  await expect(sandbox.getByRole('status')).toContainText('Share link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  await runAndWait(sandbox);
  await expect(sandbox.locator('[data-summary]')).toContainText('6');
  await expect(sandbox.locator('.cm-editor')).toHaveCount(0);
  editorChunk.release();

  // The link carries no code (there is no edit) and opens the same static code with its values.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const restored = await openSandbox(other, link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(restored.getByLabel(/Concurrent callers/)).toHaveValue('6');
  await expect(codeView(restored)).toContainText('new pg.Client({');
  await expect(restored.locator('[data-edited]')).toBeHidden();
  await fresh.close();
});

test('switching variants before the editor loads shows each variant\'s highlighted code', async ({ page }) => {
  const editorChunk = await holdEditor(page);
  await page.goto('/guide/pinning/');
  const sandbox = await scrollToSandbox(page, 'proxy-pinning');
  const before = await codeView(sandbox).textContent();
  await sandbox.locator('[data-variants] input[type="radio"]').nth(1).check();
  await expect(sandbox.locator('[data-file-name]')).toHaveText('after.mjs');
  await expect(codeView(sandbox)).not.toHaveText(before ?? '');
  await expect(codeView(sandbox).locator('.tok-keyword').first()).toBeVisible();
  await expect(sandbox.locator('.cm-editor')).toHaveCount(0);
  editorChunk.release();
});

test('the connection doctor marks what the reader types, as they type, and never stops a Run', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const editor = await openEditor(sandbox);
  const markers = sandbox.locator('.cm-lint-marker-error');
  // The lesson's handler opens a client per invocation: the doctor says so as soon as the editor is there.
  await expect(markers).toHaveCount(1);

  // A handler with nothing to say about (an "after" the doctor's own tests hold clean).
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(readFileSync(new URL('../../sandboxes/connect-timeout/after.mjs', import.meta.url), 'utf8'));
  await expect(sandbox.locator('.cm-lint-marker')).toHaveCount(0);

  // A per-invocation client typed into the handler.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText("import { Client } from 'pg';\n\nexport const handler = async () => {\n  const client = new Client();\n  await client.connect();\n  return { statusCode: 200 };\n};\n");
  await expect(markers).toHaveCount(1);
  await sandbox.locator('.cm-lintRange-error').first().hover();
  await expect(sandbox.locator('.cm-tooltip-lint')).toContainText('is created on every invocation: one new database connection per call');
  await expect(sandbox.locator('.cm-tooltip-lint')).toContainText('per-invocation-connection');
  await expect(editor).toContainText('new Client()');
  await expect(sandbox.getByRole('button', { name: /^Run/ })).toBeEnabled();
});
