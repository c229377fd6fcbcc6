// @ts-check
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import expressiveCode from 'astro-expressive-code';

// The one inline script (theme and code language before first paint) is allowed by its hash.
const headInit = readFileSync(new URL('./src/scripts/head-init.js', import.meta.url), 'utf8');
const headInitHash = `sha256-${createHash('sha256').update(headInit).digest('base64')}`;

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  build: { format: 'directory' },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
  integrations: [
    expressiveCode({
      themes: ['github-light', 'github-dark'],
      themeCssSelector: (theme) => `[data-theme='${theme.type}']`,
      useDarkModeMediaQuery: true,
      styleOverrides: { borderRadius: '0.4rem', codeFontSize: '0.875rem' },
      defaultProps: { wrap: false },
    }),
    mdx(),
  ],
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
    },
  },
});
