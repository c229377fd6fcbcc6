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

/** Replaces the handler's code as a reader would: select all in the editor, then type. */
export async function setCode(page: Page, sandbox: Locator, code: string): Promise<void> {
  await sandbox.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

/** Presses Run and waits for the status to say the run finished. */
export async function runAndWait(sandbox: Locator, timeout = 60_000): Promise<void> {
  await sandbox.getByRole('button', { name: /^Run/ }).click();
  await expect(sandbox.getByRole('status')).toContainText('Run finished', { timeout });
}
