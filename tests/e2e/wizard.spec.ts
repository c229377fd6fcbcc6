/**
 * A reader who knows their situation goes straight to the decision: they answer the wizard, read the
 * recommendation, look at the generated files, download the zip and share the link. The zip must be
 * byte for byte what `connlab generate` writes for the same choices.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { expect, expectAccessible, expectNoHorizontalScroll, screenshot, test } from './fixtures.ts';

const root = new URL('../../', import.meta.url).pathname;

test('from the home page to a downloaded project that matches `connlab generate`', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Skip to the decision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a pattern' })).toBeVisible();
  const wizard = page.locator('connlab-wizard');
  await expect(wizard).toHaveAttribute('data-ready', 'true');

  // A spiky API at 1,000 concurrent invocations on a small instance, written in Python, deployed with Terraform.
  await page.getByRole('group', { name: 'Which instance class (the writer)?' }).getByLabel('db.t3.micro (1 GiB)').check();
  await page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton').fill('1000');
  await page.getByRole('group', { name: 'Traffic shape' }).getByLabel(/Spiky/).check();
  await page.getByRole('group', { name: 'Lambda runtime and language' }).getByLabel('Python 3.13').check();
  await page.getByRole('group', { name: 'Infrastructure as code' }).getByLabel('Terraform').check();

  const recommendation = page.locator('[data-wizard-result]');
  await expect(recommendation.locator('.pattern')).toHaveText('Use RDS Proxy.');
  await expect(recommendation).toContainText('Runner-up');
  // The class's figure is the formula on its full memory, and says so.
  await expect(recommendation.locator('.budget')).toContainText('max_connections for db.t3.micro: 112 (nominal');
  await expect(page.getByRole('status').filter({ hasText: 'Recommendation' })).toHaveText('Recommendation: RDS Proxy.');

  // The URL is the share link.
  await expect(page).toHaveURL(/peakConcurrency=1000/);
  await expect(page).toHaveURL(/runtimeLanguage=python3\.13-python/);

  await page.getByRole('heading', { name: 'Your starter project' }).scrollIntoViewIfNeeded();
  const tree = page.getByRole('list', { name: 'Files' });
  await tree.getByRole('button', { name: 'app/handler.py' }).click();
  await expect(page.locator('[data-wizard-file-name]')).toHaveText('app/handler.py');
  await expect(page.locator('[data-wizard-preview]')).toContainText('generate_db_auth_token');
  await expect(page.locator('[data-wizard-preview] .shiki')).toBeVisible();
  const listedFiles = (await tree.getByRole('button').allTextContents()).sort();
  expect(listedFiles).toContain('app/requirements.txt');

  await expectAccessible(page);
  await screenshot(page, 'wizard');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .zip' }).click()]);
  expect(download.suggestedFilename()).toBe('rds-proxy-starter.zip');
  const downloaded = readFileSync(await download.path());

  const unpacked = unzipSync(new Uint8Array(downloaded));
  expect(Object.keys(unpacked).sort()).toEqual(listedFiles);
  expect(new TextDecoder().decode(unpacked['app/handler.py'])).toContain('sslmode');

  const fromCli = join(mkdtempSync(join(tmpdir(), 'connlab-zip-')), 'project.zip');
  execFileSync(
    process.execPath,
    [
      join(root, 'bin/connlab.mjs'),
      'generate',
      '--pattern', 'rds-proxy',
      '--runtime', 'python3.13',
      '--language', 'python',
      '--auth', 'iam',
      '--iac', 'terraform',
      '--database', 'rds-postgresql',
      '--zip', fromCli,
    ],
    { cwd: root },
  );
  expect(Buffer.compare(downloaded, readFileSync(fromCli))).toBe(0);
});

test('the recommendation stays beside the questions, and each file and the next steps say what they are for', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/wizard/');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  for (const group of ['Your database', 'Your workload', 'Your project']) await expect(page.getByRole('heading', { level: 2, name: group })).toBeVisible();

  // Answering the last questions, the reader still sees the recommendation.
  await page.getByRole('group', { name: 'Infrastructure as code' }).getByLabel('AWS SAM').check();
  await expect(page.getByRole('heading', { name: 'Recommendation' })).toBeInViewport();

  await page.getByRole('heading', { name: 'Your starter project' }).scrollIntoViewIfNeeded();
  const tree = page.getByRole('list', { name: 'Files' });
  await expect(tree.getByRole('button', { name: 'schema.sql' })).toHaveAccessibleDescription('the table and the database user.');
  await tree.getByRole('button', { name: 'template.yaml' }).click();
  await expect(page.locator('[data-wizard-file-purpose]')).toHaveText('infrastructure: the AWS SAM template.');
  const steps = page.getByRole('region', { name: 'Next steps' }).getByRole('listitem');
  await expect(steps.last()).toContainText('sam build && sam deploy --guided');
  await expect(steps.first()).toContainText('-f schema.sql');
});

test('a share link restores the answers in a fresh browser, and the answers survive a reload', async ({ page, browser }) => {
  // A link from before runtime and language were one question still opens on the same pair, and is rewritten as one answer.
  await page.goto('/wizard/?peakConcurrency=5000&traffic=spiky&runtime=nodejs24.x&language=javascript&iac=cdk');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton')).toHaveValue('5000');
  await expect(page.getByRole('group', { name: 'Lambda runtime and language' }).getByLabel('Node.js 24 · JavaScript')).toBeChecked();
  await expect(page).toHaveURL(/runtimeLanguage=nodejs24\.x-javascript/);
  expect(new URL(page.url()).searchParams.has('language')).toBe(false);
  await page.getByRole('heading', { name: 'Your starter project' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('list', { name: 'Files' }).getByRole('button', { name: 'src/handler.mjs' })).toBeVisible();

  await page.getByRole('group', { name: 'Infrastructure as code' }).getByLabel('AWS SAM').check();
  await page.goto('/wizard/');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('group', { name: 'Infrastructure as code' }).getByLabel('AWS SAM')).toBeChecked();
  await expect(page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton')).toHaveValue('5000');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(page.url());
  await expect(other.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  await expect(other.getByRole('group', { name: 'Infrastructure as code' }).getByLabel('AWS SAM')).toBeChecked();
  await fresh.close();
});

test('a click on the sandbox link before the preset is encoded waits for it', async ({ page }) => {
  // The link format (sandboxes/share.ts) loads after the recommendation: held back here, the link shows first.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_astro\/share\.[\w-]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/wizard/?peakConcurrency=40&instanceClass=db.t3.micro&traffic=steady');
  const link = page.getByRole('link', { name: 'Run this pattern with your numbers' });
  await expect(link).toHaveAttribute('href', '/guide/pools-per-environment/');
  await link.click();
  release();
  await expect(page).toHaveURL(/\/guide\/pools-per-environment\/#run=module-pool~/);
});

test('the recommendation links to the sandbox that shows it, preset with the reader\'s numbers', async ({ page }) => {
  await page.goto('/wizard/?peakConcurrency=40&instanceClass=db.t3.micro&traffic=steady');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('[data-wizard-result] .pattern')).toHaveText('Use a module-level pool connecting directly.');
  await page.getByRole('link', { name: 'Run this pattern with your numbers' }).click();
  await expect(page).toHaveURL(/\/guide\/pools-per-environment\/#run=module-pool~/);
  const sandbox = page.locator('connlab-sandbox[data-sandbox="module-pool"]');
  await expect(sandbox).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(sandbox.getByLabel(/Concurrent callers/)).toHaveValue('40');
  await expect(sandbox.getByLabel(/Instance class/)).toHaveValue('db.t3.micro');
});

test('a malformed share link is rejected with what was expected, and the wizard still works', async ({ page }) => {
  await page.goto('/wizard/?peakConcurrency=lots&runtime=ruby3.4&colour=blue');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('could not be used');
  await expect(alert).toContainText('colour: not a wizard answer');
  await expect(alert).toContainText('runtime');
  await expect(page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton')).toHaveValue('50');
  await expect(page.locator('[data-wizard-result] .pattern')).not.toBeEmpty();
});

test('Serverless v2 asks for the ACU range, and Aurora disables the classes it does not offer, with the reason', async ({ page }) => {
  await page.goto('/wizard/');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  const minimum = page.getByRole('group', { name: 'Minimum capacity (ACUs)' });
  await expect(minimum).toBeHidden();

  const engine = page.getByRole('group', { name: 'Which database engine?' });
  const classes = page.getByRole('group', { name: 'Which instance class (the writer)?' });
  await engine.getByLabel('Aurora PostgreSQL (provisioned)').check();
  await expect(classes.getByLabel('db.t3.micro (1 GiB)')).toBeDisabled();
  await expect(classes.getByLabel('db.r6g.large (16 GiB)')).toBeChecked();
  await expect(classes.locator('[data-constraint]')).toContainText('Aurora PostgreSQL offers no db.t3.micro');

  await engine.getByLabel('Aurora PostgreSQL Serverless v2').check();
  await expect(classes.getByLabel(/^db\.serverless/)).toBeChecked();
  await expect(minimum).toBeVisible();
  await page.getByRole('group', { name: 'Maximum capacity (ACUs)' }).getByRole('spinbutton').fill('1');
  await expect(page.locator('[data-wizard-result] .budget')).toContainText("max_connections for 0.5–1 ACUs (Aurora's table): 189.");
  await expect(page).toHaveURL(/minAcu=0\.5&maxAcu=1&/);
});

test('writes to a queue and reads through a proxy: the reader picks which project to see', async ({ page }) => {
  await page.goto('/wizard/?peakConcurrency=3000&asyncWritesOk=yes&traffic=spiky');
  await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
  const recommendation = page.locator('[data-wizard-result]');
  await expect(recommendation.locator('.pattern')).toHaveText('Use an SQS queue with a capped batch consumer.');
  await expect(recommendation.getByRole('heading', { name: 'Reads: RDS Proxy' })).toBeVisible();
  const part = page.getByRole('group', { name: 'Which part' });
  await part.getByLabel('Reads: RDS Proxy').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .zip' }).click()]);
  expect(download.suggestedFilename()).toBe('rds-proxy-starter.zip');
});

for (const width of [1280, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });
    test('runtime and language are one question, and the project follows the pair', async ({ page }) => {
      await page.goto('/wizard/');
      await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
      const pair = page.getByRole('group', { name: 'Lambda runtime and language' });
      await expect(pair.getByRole('radio')).toHaveCount(6);
      await expect(page.getByRole('group', { name: 'Language', exact: true })).toHaveCount(0);
      await pair.getByLabel('Node.js 24 · JavaScript').check();
      await expect(page).toHaveURL(/runtimeLanguage=nodejs24\.x-javascript/);
      await page.getByRole('heading', { name: 'Your starter project' }).scrollIntoViewIfNeeded();
      const tree = page.getByRole('list', { name: 'Files' });
      await expect(tree.getByRole('button', { name: 'src/handler.mjs' })).toBeVisible();
      await pair.getByLabel('Python 3.12').check();
      await expect(tree.getByRole('button', { name: 'app/handler.py' })).toBeVisible();
      await pair.scrollIntoViewIfNeeded();
      await expectNoHorizontalScroll(page);
      await expectAccessible(page);
    });
  });
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 800 } });
  test('the starter project is written when the reader reaches it, not while they answer', async ({ page }) => {
    const generatorRequests: string[] = [];
    page.on('request', (request) => {
      if (/\/_astro\/templates\.[\w-]+\.js$/.test(request.url())) generatorRequests.push(request.url());
    });
    await page.goto('/wizard/');
    await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
    await page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton').fill('400');
    await expect(page.locator('[data-wizard-result] .pattern')).not.toBeEmpty();
    await page.waitForTimeout(1500);
    expect(generatorRequests).toEqual([]);

    await page.getByRole('heading', { name: 'Your starter project' }).scrollIntoViewIfNeeded();
    await expect(page.getByRole('list', { name: 'Files' }).getByRole('button').first()).toBeVisible();
    expect(generatorRequests).toHaveLength(1);
    await expect(page.getByText('Writing the files for your answers')).toHaveCount(0);
  });

  test('the wizard fits the screen and passes axe', async ({ page }) => {
    await page.goto('/wizard/');
    await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshot(page, 'wizard');
  });

  test('a bar names the recommendation while the reader answers, marks a change, and leads to it', async ({ page }) => {
    await page.goto('/wizard/');
    await expect(page.locator('connlab-wizard')).toHaveAttribute('data-ready', 'true');
    const bar = page.getByRole('link', { name: /^Recommendation:/ });
    await page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton').fill('20');
    await expect(bar).toBeVisible();
    const before = (await bar.textContent()) ?? '';
    await page.getByRole('group', { name: 'Peak concurrent invocations' }).getByRole('spinbutton').fill('1000');
    await expect(bar).not.toHaveText(before);
    await expect(bar).toContainText('changed');
    await bar.click();
    await expect(page.locator('[data-wizard-result]')).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Recommendation' })).toBeInViewport();
    await expect(bar).toBeHidden();
    await expectAccessible(page);
  });
});
