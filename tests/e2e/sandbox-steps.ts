/** What a reader does with a sandbox, shared by the specs that walk through one. */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** Opens a chapter and waits until its direct-connection sandbox is interactive. */
export async function openSandbox(page: Page, url = '/guide/the-problem/'): Promise<Locator> {
  await page.goto(url);
  return scrollToSandbox(page, 'direct-connection');
}

/** Scrolls to a sandbox of the open page and waits until it is interactive. */
export async function scrollToSandbox(page: Page, id: string): Promise<Locator> {
  const sandbox = page.locator(`connlab-sandbox[data-sandbox="${id}"]`);
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  return sandbox;
}

/**
 * The sandbox's code as the reader sees it: the static block the page was built with until the editor
 * loads, then the editor's text (not the comparison's, which has editors of its own).
 */
export const codeView = (sandbox: Locator): Locator => sandbox.locator('[data-editor] > [data-code-static], [data-editor] > div:first-child .cm-content').first();

/** Loads the editor as a reader does, by clicking the code, and waits until it has the focus. */
export async function openEditor(sandbox: Locator): Promise<Locator> {
  await codeView(sandbox).click();
  const editor = sandbox.locator('[data-editor] > div:first-child .cm-content');
  await expect(editor).toBeFocused();
  return editor;
}

/** Replaces the handler's code as a reader would: select all in the editor, then type. */
export async function setCode(page: Page, sandbox: Locator, code: string): Promise<void> {
  await openEditor(sandbox);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

/** Presses Run and waits for the status to say the run finished. */
export async function runAndWait(sandbox: Locator, timeout = 60_000): Promise<void> {
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('status')).toContainText('Run finished', { timeout });
}

/** The reader asked to save data (navigator.connection.saveData): nothing downloads before they press Run. */
export async function saveData(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'connection', { configurable: true, get: () => ({ saveData: true, effectiveType: '4g' }) });
  });
}
