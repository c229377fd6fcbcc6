#!/usr/bin/env node
/**
 * The last step of `npm run build`: writes `.br` and `.gz` siblings beside the built files (see
 * lib/precompress.mjs), which `npm start` serves by Accept-Encoding, as a static host would.
 */
import { join } from 'node:path';
import { precompressSite } from './lib/precompress.mjs';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();
const written = await precompressSite(join(root, 'dist'), join(root, '.cache', 'connlab', 'precompressed'));
const sum = (key) => written.reduce((total, file) => total + file[key], 0);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`precompress: ${written.length} files, ${mb(sum('bytes'))} -> ${mb(sum('br'))} brotli, ${mb(sum('gzip'))} gzip (${((Date.now() - started) / 1000).toFixed(0)} s)`);
