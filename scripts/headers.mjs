#!/usr/bin/env node
/**
 * Writes dist/_headers (the format Netlify and Cloudflare Pages read) from the built pages: each
 * page's Content-Security-Policy is the one Astro put in its <meta> tag, so header and meta agree.
 * Headers can say what a meta tag cannot: frame-ancestors, and policies for non-HTML files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;

const common = [
  'X-Content-Type-Options: nosniff',
  'Referrer-Policy: no-referrer',
  'Cross-Origin-Opener-Policy: same-origin',
  'Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=()',
];

function* htmlFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(path);
    else if (entry.name.endsWith('.html')) yield path;
  }
}

// The engine Worker evaluates the reader's handler code (new Function) and compiles PGlite
// (WebAssembly), so its own policy allows exactly that, and nothing from other hosts.
const workerPolicy = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; connect-src 'self'";

// Built assets carry a content hash in their names, so browsers may keep them for good: PGlite's
// files (about 33 MB, 4.4 MB with brotli) download once, on the first Run.
const immutable = 'Cache-Control: public, max-age=31536000, immutable';

const metaPattern = /<meta http-equiv="content-security-policy" content="([^"]+)"/i;
const blocks = [`/*\n${common.map((h) => `  ${h}`).join('\n')}\n`, `/_astro/*\n  ${immutable}\n`];
let pages = 0;
for (const file of htmlFiles(dist)) {
  const match = readFileSync(file, 'utf8').match(metaPattern);
  if (!match) throw new Error(`${relative(dist, file)} has no Content-Security-Policy meta tag`);
  const policy = `${match[1].replaceAll('&#39;', "'").replace(/;\s*$/, '')}; frame-ancestors 'none'`;
  const path = `/${relative(dist, file).split(sep).join('/')}`;
  const route = path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
  blocks.push(`${route}\n  Content-Security-Policy: ${policy}\n`);
  if (route !== path) blocks.push(`${path}\n  Content-Security-Policy: ${policy}\n`);
  pages++;
}
const workers = readdirSync(join(dist, '_astro')).filter((name) => /\.worker-[\w-]+\.js$/.test(name));
for (const name of workers) blocks.push(`/_astro/${name}\n  Content-Security-Policy: ${workerPolicy}\n`);
writeFileSync(join(dist, '_headers'), blocks.join('\n'));
console.log(`_headers: Content-Security-Policy for ${pages} pages and ${workers.length} worker script(s)`);
