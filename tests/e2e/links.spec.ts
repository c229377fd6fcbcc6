/** No page of the built site links to a page that does not exist, or to a heading that is not there. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect, test } from '@playwright/test';

const dist = new URL('../../dist/', import.meta.url).pathname;

function* htmlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'pagefind' && entry.name !== '_astro') yield* htmlFiles(path);
    else if (entry.name.endsWith('.html')) yield path;
  }
}

test('every internal link and fragment on every page resolves', async ({ request }) => {
  const pages = new Map<string, string>();
  for (const file of htmlFiles(dist)) {
    const route = `/${relative(dist, file).split(sep).join('/')}`.replace(/index\.html$/, '');
    pages.set(route, readFileSync(file, 'utf8'));
  }
  const broken: string[] = [];
  let checked = 0;
  for (const [route, html] of pages) {
    for (const [, href] of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
      if (/^(https?:|mailto:)/.test(href!)) continue;
      const url = new URL(href!, `http://127.0.0.1${route}`);
      if (url.pathname !== route || !href!.startsWith('#')) {
        const response = await request.get(url.pathname);
        if (response.status() !== 200) broken.push(`${route} -> ${href} (${response.status()})`);
      }
      if (url.hash && !url.hash.startsWith('#run=')) {
        const target = pages.get(url.pathname) ?? '';
        const id = decodeURIComponent(url.hash.slice(1));
        if (!target.includes(`id="${id}"`)) broken.push(`${route} -> ${href} (no element with id ${id})`);
      }
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(20);
  expect(broken).toEqual([]);
});
