import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressSite } from '../../scripts/lib/precompress.mjs';
import { acceptedEncodings, createSiteServer } from '../../scripts/lib/static-server.mjs';

// A site as the build leaves it: pages, a hashed script, WebAssembly, a data directory tar, a
// small file below the threshold, and _headers; then precompressed as the build does.
const script = `export const answer = ${JSON.stringify('connection '.repeat(400))};\n`;
const wasm = new Uint8Array(4096).map((_, i) => [0, 97, 115, 109][i % 4]!);
const dataDir = new Uint8Array(8192).fill(7);
let dist: string;
let cache: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'connlab-site-'));
  cache = mkdtempSync(join(tmpdir(), 'connlab-precompressed-'));
  mkdirSync(join(dist, '_astro'));
  writeFileSync(join(dist, 'index.html'), `<!doctype html><title>Lab</title>${'<p>A page long enough to compress.</p>'.repeat(60)}`);
  writeFileSync(join(dist, '404.html'), `<!doctype html><title>Not found</title>${'<p>Nothing here.</p>'.repeat(80)}`);
  writeFileSync(join(dist, '_astro', 'engine.worker-AbC123.js'), script);
  writeFileSync(join(dist, '_astro', 'pglite.wasm'), wasm);
  writeFileSync(join(dist, '_astro', 'pglite-datadir.tar'), dataDir);
  writeFileSync(join(dist, '_astro', 'tiny.js'), 'export {};\n');
  writeFileSync(join(dist, 'logo.png'), new Uint8Array(4096));
  writeFileSync(
    join(dist, '_headers'),
    ['/*', '  X-Content-Type-Options: nosniff', '', '/_astro/*', '  Cache-Control: public, max-age=31536000, immutable', '', '/', "  Content-Security-Policy: default-src 'self'", ''].join('\n'),
  );
  await precompressSite(dist, cache);
  server = createSiteServer(dist);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dist, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

/** A real request to the server, body undecoded (node:http never decompresses). */
function get(path: string, acceptEncoding?: string, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the site server negotiates Accept-Encoding', () => {
  it('sends brotli when the browser accepts it, with the original Content-Type and the compressed Content-Length', async () => {
    const response = await get('/_astro/engine.worker-AbC123.js', 'gzip, deflate, br, zstd');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(response.body).toString()).toBe(script);
  });

  it('sends gzip when brotli is not accepted, or refused with q=0', async () => {
    for (const accept of ['gzip, deflate', 'br;q=0, gzip;q=0.8']) {
      const response = await get('/_astro/pglite.wasm', accept);
      expect(response.headers['content-encoding'], accept).toBe('gzip');
      expect(response.headers['content-type']).toBe('application/wasm');
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
      expect(new Uint8Array(gunzipSync(response.body))).toEqual(wasm);
    }
  });

  it('sends the file itself, still with Vary, when the request accepts no compression', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0, br;q=0']) {
      const response = await get('/_astro/pglite-datadir.tar', accept);
      expect(response.headers['content-encoding'], String(accept)).toBeUndefined();
      expect(response.headers['content-type']).toBe('application/x-tar');
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(Number(response.headers['content-length'])).toBe(dataDir.length);
      expect(new Uint8Array(response.body)).toEqual(dataDir);
    }
  });

  it('keeps the _headers rules: immutable caching for hashed assets, the page policy on pages', async () => {
    const asset = await get('/_astro/engine.worker-AbC123.js', 'br');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    const page = await get('/', 'br');
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['content-security-policy']).toBe("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(page.body).toString()).toContain('<title>Lab</title>');
  });

  it('compresses the 404 page too, and answers HEAD with the headers of the GET', async () => {
    const missing = await get('/no-such-page.js', 'gzip');
    expect(missing.status).toBe(404);
    expect(gunzipSync(missing.body).toString()).toContain('Not found');
    const head = await get('/_astro/engine.worker-AbC123.js', 'br', 'HEAD');
    const full = await get('/_astro/engine.worker-AbC123.js', 'br');
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers['content-encoding']).toBe('br');
  });

  it('leaves files with no siblings alone: below 1 KB, or already compressed formats', async () => {
    for (const path of ['/_astro/tiny.js', '/logo.png']) {
      const response = await get(path, 'br, gzip');
      expect(response.headers['content-encoding'], path).toBeUndefined();
      expect(response.headers.vary, path).toBeUndefined();
    }
  });
});

describe('acceptedEncodings', () => {
  it('reads codings, q-values and the wildcard as RFC 9110 says', () => {
    expect([...acceptedEncodings('gzip, deflate, br')]).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('BR;Q=1.0')]).toEqual(['br']);
    expect([...acceptedEncodings('*')]).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('*, br;q=0')]).toEqual(['gzip']);
    expect([...acceptedEncodings('')]).toEqual([]);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});
