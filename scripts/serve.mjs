#!/usr/bin/env node
/**
 * Serves the built site (dist/) on 127.0.0.1 as a static host would (lib/static-server.mjs):
 * dist/_headers applied, precompressed siblings sent by Accept-Encoding, so what the tests check is
 * what a deployment would send. Usage: node scripts/serve.mjs [--port N]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSiteServer } from './lib/static-server.mjs';

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

const server = createSiteServer(dist);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`Lambda Connection Lab: http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
