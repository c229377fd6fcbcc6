#!/usr/bin/env node
/**
 * Serves the built site (dist/) on 127.0.0.1, applying dist/_headers the way static hosts do, so
 * what the tests check is what a deployment would send. Usage: node scripts/serve.mjs [--port N]
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const portFlag = process.argv.indexOf('--port');
const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 4321));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: --port expects an integer from 0 to 65535, got ${process.argv[portFlag + 1]}`);
  process.exit(2);
}
if (!existsSync(join(dist, 'index.html'))) {
  console.error('serve: dist/ has no site yet; run `npm run build` first (npm start does both).');
  process.exit(1);
}

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
  '.gz': 'application/gzip',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
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
const headerRules = existsSync(join(dist, '_headers')) ? parseHeaders(readFileSync(join(dist, '_headers'), 'utf8')) : [];
const matches = (rule, path) => (rule.endsWith('*') ? path.startsWith(rule.slice(0, -1)) : rule === path);

function resolveFile(urlPath) {
  const safe = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
  let file = join(dist, safe);
  if (!file.startsWith(dist)) return null;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

const server = createServer((request, response) => {
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
  const headers = {
    'Content-Type': types[extname(served)] ?? 'application/octet-stream',
    'Content-Length': String(statSync(served).size),
    'Cache-Control': 'no-cache',
  };
  for (const rule of headerRules) {
    if (matches(rule.path, servedPath)) for (const [name, value] of rule.headers) headers[name] = value;
  }
  response.writeHead(status, headers);
  if (request.method === 'HEAD') response.end();
  else createReadStream(served).pipe(response);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`Lambda Connection Lab: http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
