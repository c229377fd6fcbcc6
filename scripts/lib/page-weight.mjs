/**
 * What each built page makes a reader download before they interact: its HTML, the JavaScript it
 * loads (module scripts and everything they import statically; dynamic imports load on demand and
 * are not counted) and its stylesheets, raw and gzip-compressed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const gzip = (buffer) => gzipSync(buffer, { level: 9 }).length;

function* htmlFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'pagefind') yield* htmlFiles(path);
    else if (entry.name.endsWith('.html')) yield path;
  }
}

function resolveAsset(dist, fromFile, specifier) {
  if (/^[a-z]+:/i.test(specifier)) return null;
  return specifier.startsWith('/') ? join(dist, specifier) : join(dirname(fromFile), specifier);
}

/** Static imports of an ES module: `import … from "x"`, `import "x"`, `export … from "x"`. */
function staticImports(code) {
  const found = [];
  const pattern = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']/g;
  for (const match of code.matchAll(pattern)) found.push(match[1]);
  return found;
}

export function measurePage(dist, htmlFile) {
  const html = readFileSync(htmlFile, 'utf8');
  const scripts = new Map();
  const styles = new Map();
  let inlineScript = '';
  const visitScript = (file) => {
    if (scripts.has(file) || !existsSync(file)) return;
    const code = readFileSync(file);
    scripts.set(file, code);
    for (const specifier of staticImports(code.toString('utf8'))) {
      const next = resolveAsset(dist, file, specifier);
      if (next) visitScript(next);
    }
  };
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = match[1].match(/\bsrc="([^"]+)"/)?.[1];
    if (src) {
      const file = resolveAsset(dist, htmlFile, src);
      if (file) visitScript(file);
    } else if (!/type="application\/(ld\+)?json"/.test(match[1])) {
      inlineScript += match[2];
      for (const specifier of staticImports(match[2])) {
        const file = resolveAsset(dist, htmlFile, specifier);
        if (file) visitScript(file);
      }
    }
  }
  for (const match of html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*>/g)) {
    const href = match[0].match(/\bhref="([^"]+)"/)?.[1];
    const file = href && resolveAsset(dist, htmlFile, href);
    if (file && existsSync(file)) styles.set(file, readFileSync(file));
  }
  const inlineStyle = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('');
  const js = Buffer.concat([...scripts.values(), Buffer.from(inlineScript)]);
  const css = Buffer.concat([...styles.values(), Buffer.from(inlineStyle)]);
  const page = `/${relative(dist, htmlFile).split(sep).join('/')}`.replace(/index\.html$/, '');
  return {
    page,
    html: { bytes: Buffer.byteLength(html), gzip: gzip(Buffer.from(html)) },
    js: { bytes: js.length, gzip: gzip(js), files: scripts.size },
    css: { bytes: css.length, gzip: gzip(css), files: styles.size },
    get totalGzip() {
      return this.html.gzip + this.js.gzip + this.css.gzip;
    },
  };
}

export function measureSite(dist) {
  return [...htmlFiles(dist)].map((file) => measurePage(dist, file)).sort((a, b) => a.page.localeCompare(b.page));
}

/** Reading pages: everything but the pages whose purpose is to run something. */
export const readingPageBudgetGzip = 20 * 1024;
