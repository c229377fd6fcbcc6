/**
 * The built site's HTTP server, behaving as a static host does: dist/_headers applied by path,
 * and the precompressed `.br`/`.gz` sibling of a file (lib/precompress.mjs) sent when the request's
 * Accept-Encoding allows it (brotli first, then gzip, else the file itself), with
 * `Vary: Accept-Encoding` so caches keep the variants apart.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { encodings } from './precompress.mjs';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.tar': 'application/x-tar',
  '.gz': 'application/gzip',
  '.br': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

/** Parses the _headers format: a path (with an optional trailing *) followed by indented headers. */
function parseHeaders(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) rules.push({ path: line.trim(), headers: [] });
    else {
      const at = line.indexOf(':');
      rules.at(-1)?.headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}
const matches = (rule, path) => (rule.endsWith('*') ? path.startsWith(rule.slice(0, -1)) : rule === path);

/**
 * The encodings a request's Accept-Encoding allows, by name: a listed coding with q > 0, or any
 * coding under `*` unless listed with q=0 (RFC 9110, 12.5.3).
 */
export function acceptedEncodings(header) {
  const weights = new Map();
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    weights.set(coding, q ? Number(q.slice(2)) : 1);
  }
  const allowed = (name) => (weights.has(name) ? weights.get(name) > 0 : (weights.get('*') ?? 0) > 0);
  return new Set(encodings.map((encoding) => encoding.name).filter(allowed));
}

export function createSiteServer(dist) {
  const headerRules = existsSync(join(dist, '_headers')) ? parseHeaders(readFileSync(join(dist, '_headers'), 'utf8')) : [];

  function resolveFile(urlPath) {
    const safe = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dist, safe);
    if (!file.startsWith(dist)) return null;
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    return existsSync(file) && statSync(file).isFile() ? file : null;
  }

  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!url.pathname.endsWith('/') && !extname(url.pathname) && resolveFile(`${url.pathname}/`)) {
      response.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
      return;
    }
    const file = resolveFile(url.pathname);
    const status = file ? 200 : 404;
    const served = file ?? join(dist, '404.html');
    const servedPath = file ? url.pathname : '/404.html';
    const siblings = encodings.filter((encoding) => existsSync(`${served}${encoding.extension}`));
    const accepted = acceptedEncodings(request.headers['accept-encoding']);
    const encoding = siblings.find((candidate) => accepted.has(candidate.name));
    const body = encoding ? `${served}${encoding.extension}` : served;
    const headers = {
      'Content-Type': types[extname(served)] ?? 'application/octet-stream',
      'Content-Length': String(statSync(body).size),
      'Cache-Control': 'no-cache',
      ...(siblings.length ? { Vary: 'Accept-Encoding' } : {}),
      ...(encoding ? { 'Content-Encoding': encoding.name } : {}),
    };
    for (const rule of headerRules) {
      if (matches(rule.path, servedPath)) for (const [name, value] of rule.headers) headers[name] = value;
    }
    // Set one by one (not through writeHead) so a wrapper can read them back with getHeader.
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.writeHead(status);
    if (request.method === 'HEAD') response.end();
    else createReadStream(body).pipe(response);
  });
}
