/**
 * The chapter format is enforced by the build: a wrong frontmatter field or a sandbox that does not
 * exist stops `astro build` with a message naming the file and the field. Each case builds a copy of
 * the site with one chapter changed.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const copies: string[] = [];

function siteCopy(edit: (chapter: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'connlab-site-'));
  copies.push(dir);
  for (const entry of ['astro.config.mjs', 'ec.config.mjs', 'package.json', 'tsconfig.json', 'src', 'content', 'sandboxes', 'public']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const chapter = join(dir, 'content/chapters/the-problem.mdx');
  writeFileSync(chapter, edit(readFileSync(chapter, 'utf8')));
  return dir;
}

async function build(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: dir,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('the chapter collection', () => {
  it('builds when the frontmatter is valid', async () => {
    const result = await build(siteCopy((text) => text));
    expect(result.output).not.toMatch(/InvalidContentEntryDataError/);
    expect(result.ok).toBe(true);
  });

  it('rejects a frontmatter field of the wrong type, naming the file and the field', async () => {
    const result = await build(siteCopy((text) => text.replace(/^order: \d+$/m, 'order: first')));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('content/chapters/the-problem.mdx');
    expect(result.output).toMatch(/order\W+.*Expected type `"number"`/);
  });

  it('rejects a chapter without sources', async () => {
    const result = await build(siteCopy((text) => text.replace(/^sources:\n(?:  .*\n)+/m, '')));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('the-problem.mdx');
    expect(result.output).toMatch(/sources/);
  });

  it('rejects a reference to a sandbox that does not exist, naming the file and the field', async () => {
    const result = await build(siteCopy((text) => text.replace(/^sandboxes: \[.*\]$/m, 'sandboxes: [no-such-sandbox]')));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('content/chapters/the-problem.mdx: field "sandboxes[0]" names "no-such-sandbox"');
  });
});
