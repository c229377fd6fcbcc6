// Points the generated handler at a server that accepts TCP connections and never answers (a
// half-open path, a hung proxy) and invokes it once. An unbounded connection attempt would hang
// until the test's process timeout; a bounded one fails with pg's connection-timeout error.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';

const held = [];
const server = createServer((socket) => held.push(socket));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.env.DB_PORT = String(server.address().port);
const logged = [];
console.error = (...parts) => logged.push(parts.map(String).join(' '));

const app = await import(pathToFileURL(process.env.HANDLER_MODULE).href);
const event = JSON.parse(readFileSync('events/event.json', 'utf8'));
const outcome = await app.handler(event, { awsRequestId: 'silent-1' }).then(
  (result) => ({ result }),
  (error) => ({ error: error.message }),
);
console.log(JSON.stringify({ ...outcome, logged, attempts: held.length }));
for (const socket of held) socket.destroy();
server.close();
await app.pool.end();
