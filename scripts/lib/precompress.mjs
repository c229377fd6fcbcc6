/**
 * Precompression of the built site: a `.br` and a `.gz` beside every file a browser would accept
 * compressed (text, WebAssembly, PGlite's data files) above 1 KB, as the strongest settings allow,
 * so the server only picks one (scripts/serve.mjs) and a static host can serve them as they are.
 * Brotli at quality 11 takes minutes for PGlite's 9 MB of WebAssembly, so each result is kept under
 * .cache/ by the SHA-256 of its input: hashed assets compress once, not on every build.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Below this, headers outweigh what compression saves. */
export const minimumBytes = 1024;

/** Extensions worth compressing. Pagefind's .pf_* files are gzip already; images are compressed formats. */
export const compressibleExtensions = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.xml', '.wasm', '.data', '.tar']);

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Encodings in the order a server prefers them, with the extension of each precompressed sibling. */
export const encodings = [
  {
    name: 'br',
    extension: '.br',
    // A 16 MB window (the most a browser decodes) lets the data directory's template1 and
    // postgres, two near-identical 7 MB copies of the catalogs, share one compressed copy.
    compress: (bytes) => brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
  },
  { name: 'gzip', extension: '.gz', compress: (bytes) => gzipAsync(bytes, { level: 9 }) },
];

function* compressibleFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* compressibleFiles(path);
    else if (compressibleExtensions.has(extname(entry.name)) && statSync(path).size > minimumBytes) yield path;
  }
}

/**
 * Writes the siblings for every compressible file under `dist`, reusing results cached in `cacheDir`.
 * Returns what it wrote: per file, its size and each sibling's.
 */
export async function precompressSite(dist, cacheDir) {
  mkdirSync(cacheDir, { recursive: true });
  const files = [...compressibleFiles(dist)];
  const written = [];
  // A few at a time: zlib runs on libuv's four threads, and a whole site at once only queues.
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const bytes = readFileSync(file);
      const digest = createHash('sha256').update(bytes).digest('hex');
      const sizes = { file, bytes: bytes.length };
      for (const encoding of encodings) {
        const cached = join(cacheDir, `${digest}${encoding.extension}`);
        if (!existsSync(cached)) {
          const partial = `${cached}.${process.pid}.partial`;
          writeFileSync(partial, await encoding.compress(bytes));
          renameSync(partial, cached);
        }
        const compressed = readFileSync(cached);
        writeFileSync(`${file}${encoding.extension}`, compressed);
        sizes[encoding.name] = compressed.length;
      }
      written.push(sizes);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return written;
}
