// @ts-check
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import expressiveCode from 'astro-expressive-code';
import { engineAssets } from './src/engine/host/browser-assets.node.ts';

// The one inline script (theme and code language before first paint) is allowed by its hash.
const headInit = readFileSync(new URL('./src/scripts/head-init.js', import.meta.url), 'utf8');
const headInitHash = `sha256-${createHash('sha256').update(headInit).digest('base64')}`;

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  // External stylesheets only: styles of components used inside MDX are not covered by Astro's CSP hashes.
  build: { format: 'directory', inlineStylesheets: 'never' },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
  integrations: [
    // Options live in ec.config.mjs, where the <Code> component (the last chapter's generated handler) reads them too.
    expressiveCode(),
    mdx(),
  ],
  vite: {
    // The sandbox Worker gets the `pg` bundle and PGlite's initialised data directory at build time.
    worker: { format: 'es', plugins: () => [engineAssets()] },
    // PGlite finds its .wasm and .data files next to its module; pre-bundling would move it.
    optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  },
  security: {
    csp: {
      algorithm: 'SHA-256',
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { hashes: [/** @type {any} */ (headInitHash)] },
      // Expressive Code colours tokens with style attributes. Attributes cannot run script, and
      // <style> elements stay limited to hashed or same-origin sheets.
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
});
