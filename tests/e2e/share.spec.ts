/**
 * A reader has edited a sandbox when a friend's share link arrives. The link's code loads, and the
 * reader's own version is kept: a notice offers it back in one click and shows the differences, and
 * whatever the reader chooses survives a reload. Links that are damaged, or that expand to gigabytes,
 * are refused with a message naming the limit, and the sandbox loads its defaults.
 */
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { encodeSharedState } from '../../src/sandboxes/share.ts';
import { deflateBombFragment } from '../support/deflate-bomb.ts';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './fixtures.ts';
import { codeView, openEditor, openSandbox, setCode } from './sandbox-steps.ts';

const chapter = '/guide/the-problem/';
const mine = "// my version: a pool per environment\nexport const handler = async () => ({ statusCode: 200 });\n";
const friends = "// my friend's version: no database at all\nexport const handler = async () => ({ statusCode: 204 });\n";
const friendsLink = encodeSharedState({ sandbox: 'direct-connection', params: { concurrency: 7 }, files: { 'handler.mjs': friends } });
const keptKey = 'connlab:sandbox:direct-connection:kept';

// Each walk loads the chapter two or three times; the islands and the diff view load on demand.
test.describe.configure({ timeout: 180_000 });


/** The sandbox's code, static or in the editor (the diff view, when open, has editors of its own). */
const editorText = codeView;

/** The reader's walk up to the link: they edit the sandbox, and later open a friend's link in a new tab. */
async function editThenOpenFriendsLink(page: Page, context: BrowserContext): Promise<{ tab: Page; sandbox: Locator }> {
  const own = await openSandbox(page);
  await setCode(page, own, mine);
  await expect(own.locator('[data-edited]')).toBeVisible();
  const tab = await context.newPage();
  const sandbox = await openSandbox(tab, `${chapter}${friendsLink}`);
  return { tab, sandbox };
}

const notice = (sandbox: Locator) => sandbox.getByRole('region', { name: 'Your saved version is kept' });

test('a friend\'s link loads its code, keeps the reader\'s version, shows the differences, and restores it in one click', async ({ page, context }) => {
  const { tab, sandbox } = await editThenOpenFriendsLink(page, context);

  // The link's code and parameters load; nothing of the reader's is gone.
  await expect(editorText(sandbox)).toContainText("my friend's version");
  await expect(sandbox.getByLabel(/Concurrent callers/)).toHaveValue('7');
  await expect(notice(sandbox)).toBeVisible();
  await expect(notice(sandbox)).toContainText('handler.mjs');
  await expect(sandbox.getByRole('status')).toContainText('your saved version of handler.mjs is kept');
  expect(JSON.parse((await tab.evaluate((key) => localStorage.getItem(key), keptKey)) ?? '{}')).toEqual({ 'handler.mjs': [mine] });
  await notice(sandbox).screenshot({ path: 'test-results/screenshots/share-kept-notice-light.png' });
  await expectAccessible(tab);

  // The differences, side by side in the editor's place, each side named.
  const compare = notice(sandbox).getByRole('button', { name: 'Show the differences' });
  await compare.click();
  const diff = sandbox.locator('.cm-mergeView');
  await expect(diff).toBeVisible();
  await expect(editorText(sandbox), 'the diff takes the editor\'s place').toBeHidden();
  await expect(sandbox.locator('.compare-caption')).toHaveText('Left: your saved version. Right: the code in the editor, from the share link.');
  await expect(diff.locator('.cm-merge-a')).toContainText('my version: a pool per environment');
  await expect(diff.locator('.cm-merge-b')).toContainText("my friend's version");
  await expect(notice(sandbox).getByRole('button', { name: 'Back to the editor' })).toHaveAttribute('aria-pressed', 'true');
  await sandbox.screenshot({ path: 'test-results/screenshots/share-kept-diff.png' });

  // One click brings the reader's version back, and the diff closes.
  await notice(sandbox).getByRole('button', { name: 'Restore my version' }).click();
  await expect(diff).toHaveCount(0);
  await expect(editorText(sandbox)).toBeVisible();
  await expect(editorText(sandbox)).toContainText('my version: a pool per environment');
  await expect(notice(sandbox)).toBeHidden();
  await expect(sandbox.getByRole('status')).toContainText('Your saved version of handler.mjs is back');
  expect(await tab.evaluate((key) => localStorage.getItem(key), keptKey)).toBeNull();

  // A reload keeps the choice: the link in the address bar does not replace the code again.
  expect(tab.url()).toContain('#run=direct-connection~');
  await tab.reload();
  const reloaded = tab.locator('connlab-sandbox[data-sandbox="direct-connection"]');
  await expect(reloaded).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(editorText(reloaded)).toContainText('my version: a pool per environment');
  await expect(notice(reloaded)).toBeHidden();
});

test('the choice can wait: a reload still offers the kept version, and discarding it keeps the link\'s code', async ({ page, context }) => {
  const { tab, sandbox } = await editThenOpenFriendsLink(page, context);
  await expect(notice(sandbox)).toBeVisible();

  await tab.reload();
  const again = tab.locator('connlab-sandbox[data-sandbox="direct-connection"]');
  await expect(again).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(editorText(again)).toContainText("my friend's version");
  await expect(notice(again)).toBeVisible();

  // A visit without the link shows the same: the link's code in the editor, and the notice.
  const fresh = await openSandbox(page);
  await expect(editorText(fresh)).toContainText("my friend's version");
  await expect(notice(fresh)).toBeVisible();

  await notice(again).getByRole('button', { name: 'Discard my version' }).click();
  await expect(notice(again)).toBeHidden();
  await expect(again.getByRole('status')).toContainText('discarded');
  expect(await tab.evaluate((key) => localStorage.getItem(key), keptKey)).toBeNull();
  await tab.reload();
  await expect(again).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(editorText(again)).toContainText("my friend's version");
  await expect(notice(again)).toBeHidden();
});

test.describe('in the dark theme', () => {
  test.use({ colorScheme: 'dark' });

  test('the notice keeps its contrast', async ({ page, context }) => {
    const { tab, sandbox } = await editThenOpenFriendsLink(page, context);
    await expect(notice(sandbox)).toBeVisible();
    await notice(sandbox).screenshot({ path: 'test-results/screenshots/share-kept-notice-dark.png' });
    await expectAccessible(tab);
  });
});

test('a link with nothing new keeps the reader\'s code without a notice', async ({ page, context }) => {
  const own = await openSandbox(page);
  await setCode(page, own, friends);
  const tab = await context.newPage();
  const sandbox = await openSandbox(tab, `${chapter}${friendsLink}`);
  await expect(editorText(sandbox)).toContainText("my friend's version");
  await expect(notice(sandbox)).toBeHidden();
  await expect(sandbox.getByRole('status')).toHaveText('Ready. Press Run (Ctrl+Enter) to start.');
});

test('the reader\'s own link, reloaded after more edits, keeps the edits without a notice', async ({ page }) => {
  const sandbox = await openSandbox(page);
  await setCode(page, sandbox, mine);
  await sandbox.getByRole('button', { name: 'Copy share link' }).click();
  await expect(page).toHaveURL(/#run=direct-connection~/);
  await openEditor(sandbox);
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('// edited after sharing\n');
  await page.reload();
  await expect(sandbox).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(editorText(sandbox)).toContainText('edited after sharing');
  await expect(notice(sandbox)).toBeHidden();
});

test('a damaged link and a deflate bomb are refused with a message, and the defaults load', async ({ page }) => {
  let sandbox = await openSandbox(page, `${chapter}#run=direct-connection~not-a-valid-state`);
  await expect(sandbox.getByRole('alert').first()).toContainText('could not be read');
  await expect(sandbox.getByLabel(/Concurrent callers/)).toHaveValue('1000');
  await expect(editorText(sandbox)).toContainText('new pg.Client({');

  // A link of about 90 KB whose state would expand to 64 MiB (the unit tests take a 1 GiB bomb apart).
  await page.goto('about:blank');
  sandbox = await openSandbox(page, `${chapter}${deflateBombFragment('direct-connection', 64 * 2 ** 20)}`);
  const message = sandbox.getByRole('alert').first();
  await expect(message).toContainText('could not be read');
  await expect(message).toContainText('expands to more than 2 MiB, the most a share link may carry');
  await expect(sandbox.getByLabel(/Concurrent callers/)).toHaveValue('1000');
  await expect(editorText(sandbox)).toContainText('new pg.Client({');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the notice fits 360 px and works from the keyboard', async ({ page, context }) => {
    const { tab, sandbox } = await editThenOpenFriendsLink(page, context);
    await expect(notice(sandbox)).toBeVisible();
    await expectNoHorizontalScroll(tab);
    for (const name of ['Restore my version', 'Show the differences', 'Discard my version']) {
      const box = await notice(sandbox).getByRole('button', { name }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360, `${name} within the 360 px viewport`).toBe(true);
    }
    await notice(sandbox).screenshot({ path: 'test-results/screenshots/share-kept-notice-360.png' });

    // Keyboard only: focus moves to the restore button, shows a visible outline, and Enter restores.
    const restore = notice(sandbox).getByRole('button', { name: 'Restore my version' });
    await notice(sandbox).getByRole('button', { name: 'Show the differences' }).focus();
    await tab.keyboard.press('Shift+Tab');
    await expect(restore).toBeFocused();
    expect(await restore.evaluate((element) => element.matches(':focus-visible') && getComputedStyle(element).outlineStyle !== 'none')).toBe(true);
    await tab.keyboard.press('Enter');
    await expect(editorText(sandbox)).toContainText('my version: a pool per environment');
    await expect(notice(sandbox)).toBeHidden();
    await expectNoHorizontalScroll(tab);
  });
});
