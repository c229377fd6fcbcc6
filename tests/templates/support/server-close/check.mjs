// Invokes the generated handler, has PostgreSQL terminate the handler's sessions (as a restart,
// a failover or a server-side idle timeout would), then invokes it again in the same process. Also
// reads statement_timeout on the handler's own connection: the role setting of schema.sql must reach it.
// Run from the project folder so `pg` resolves to the project's own pinned copy.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const app = await import(pathToFileURL(process.env.HANDLER_MODULE).href);
const event = JSON.parse(readFileSync('events/event.json', 'utf8'));
const first = await app.handler(event, { awsRequestId: 'close-check-1' });
const admin = new pg.Client({ host: '127.0.0.1', port: Number(process.env.ADMIN_PORT), user: 'postgres', password: process.env.ADMIN_PASSWORD, database: 'postgres', ssl: { ca: readFileSync(process.env.DB_CA_BUNDLE, 'utf8') } });
await admin.connect();
const { rows } = await admin.query("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE usename = $1 AND datname = $2", [process.env.DB_USER, process.env.DB_NAME]);
await admin.end();
await new Promise((resolve) => setTimeout(resolve, 300));
const second = await app.handler(event, { awsRequestId: 'close-check-2' });
const { rows: setting } = await app.pool.query('SHOW statement_timeout');
console.log(JSON.stringify({ terminated: rows[0].n, first, second, statementTimeout: setting[0].statement_timeout }));
await app.pool.end();
