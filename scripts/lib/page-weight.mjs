/**
 * What each built page makes a reader download: its HTML, its stylesheets, and its JavaScript
 * three times over: `js`, what loads with the page (module scripts and their static imports);
 * `jsBeforeRun`, that plus the islands those scripts import dynamically (they load when they scroll
 * into view, before the reader does anything) with their static imports: what a reader who only
 * reads downloads; and `jsWithEditor`, that plus the sandbox editor an island imports when the
 * reader touches the code (editor.ts, CodeMirror, and the doctor's lint, doctor-lint.ts). Anything else an island imports dynamically loads
 * on an action (Run, Compare, Share) and is not counted; nor are Workers. Sizes are raw and
 * gzip-compressed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
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

/** Dynamic imports with a literal specifier, `import("x")`. Workers use `new URL(…)`, not import(). */
function dynamicImports(code) {
  return [...code.matchAll(/\bimport\(\s*[`"']([^`"'$]+)[`"']\s*\)/g)].map((match) => match[1]);
}

export function measurePage(dist, htmlFile) {
  const html = readFileSync(htmlFile, 'utf8');
  const scripts = new Map();
  const styles = new Map();
  let inlineScript = '';
  const lazyRoots = [];
  const onAction = [];
  let collectLazy = true;
  const visitScript = (file) => {
    if (scripts.has(file) || !existsSync(file)) return;
    const code = readFileSync(file);
    scripts.set(file, code);
    const text = code.toString('utf8');
    for (const specifier of staticImports(text)) {
      const next = resolveAsset(dist, file, specifier);
      if (next) visitScript(next);
    }
    for (const specifier of dynamicImports(text)) {
      const next = resolveAsset(dist, file, specifier);
      if (next) (collectLazy ? lazyRoots : onAction).push(next);
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
      for (const specifier of dynamicImports(match[2])) {
        const file = resolveAsset(dist, htmlFile, specifier);
        if (file) lazyRoots.push(file);
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
  const initialScripts = scripts.size;
  collectLazy = false;
  while (lazyRoots.length) visitScript(lazyRoots.shift());
  const jsBeforeRun = Buffer.concat([...scripts.values(), Buffer.from(inlineScript)]);
  const filesBeforeRun = scripts.size;
  // The editor and the doctor's lint load together; chunks are named after their modules (Vite's `[name].[hash].js`).
  for (const file of onAction.filter((file) => /^(editor|doctor-lint)\./.test(basename(file)))) visitScript(file);
  const jsWithEditor = Buffer.concat([...scripts.values(), Buffer.from(inlineScript)]);
  const css = Buffer.concat([...styles.values(), Buffer.from(inlineStyle)]);
  const page = `/${relative(dist, htmlFile).split(sep).join('/')}`.replace(/index\.html$/, '');
  return {
    page,
    html: { bytes: Buffer.byteLength(html), gzip: gzip(Buffer.from(html)) },
    js: { bytes: js.length, gzip: gzip(js), files: initialScripts },
    jsBeforeRun: { bytes: jsBeforeRun.length, gzip: gzip(jsBeforeRun), files: filesBeforeRun },
    jsWithEditor: { bytes: jsWithEditor.length, gzip: gzip(jsWithEditor), files: scripts.size },
    /** The scripts counted in `jsBeforeRun` and in `jsWithEditor`, as paths under dist/. */
    scripts: { beforeRun: [...scripts.keys()].slice(0, filesBeforeRun), withEditor: [...scripts.keys()] },
    hasSandbox: html.includes('<connlab-sandbox'),
    hasWizard: html.includes('<connlab-wizard'),
    hasDoctor: html.includes('<connlab-doctor'),
    css: { bytes: css.length, gzip: gzip(css), files: styles.size },
    get totalGzip() {
      return this.html.gzip + this.js.gzip + this.css.gzip;
    },
  };
}

export function measureSite(dist) {
  return [...htmlFiles(dist)].map((file) => measurePage(dist, file)).sort((a, b) => a.page.localeCompare(b.page));
}

/** A page that only reads, islands included (DESIGN.md, principle 6). */
export const readingPageBudgetGzip = 20 * 1024;
/**
 * A chapter with a sandbox, for a reader who scrolls through it without touching anything: the
 * controls; the code is static HTML. The editor loads when the reader touches the code, the chart
 * and PGlite on Run.
 */
export const sandboxPageBudgetGzip = 30 * 1024;
/** The same chapter once the reader has touched the code: CodeMirror, and the doctor's lint with it. */
export const sandboxEditorBudgetGzip = 200 * 1024;
/**
 * "Check your handler" (/doctor/), as it opens: the editor with the lint gutter and three grammars, and
 * the doctor itself; the chart loads on Run, PGlite and the driver in the Worker. The only page that ships the doctor before interaction.
 */
export const doctorPageBudgetGzip = 200 * 1024;
