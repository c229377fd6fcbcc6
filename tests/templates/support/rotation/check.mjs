// Rotates the database password between two invocations, as a Secrets Manager rotation function
// does (the database first, then the secret), and checks what the generated handler does about it.
// Its module is loaded once (INIT); every later connection is forced to be new by terminating the
// handler's sessions. Prints what happened; the test compares it with the stand-in's call counts.
// Run from the project folder so `pg` and the SDK resolve to the project's own pinned copies.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const app = await import(pathToFileURL(process.env.HANDLER_MODULE).href);
const event = JSON.parse(readFileSync('events/event.json', 'utf8'));
const user = process.env.DB_USER;
const admin = new pg.Client({ host: '127.0.0.1', port: Number(process.env.ADMIN_PORT), user: 'postgres', password: process.env.ADMIN_PASSWORD, database: 'postgres', ssl: { ca: readFileSync(process.env.DB_CA_BUNDLE, 'utf8') } });
await admin.connect();
async function closeSessions() {
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND datname = $2', [user, process.env.DB_NAME]);
  await new Promise((resolve) => setTimeout(resolve, 300));
}

const first = await app.handler(event, { awsRequestId: 'rotation-1' });
await closeSessions();
// A new connection with the password kept since INIT: no second read of the secret.
const second = await app.handler(event, { awsRequestId: 'rotation-2' });

const rotated = process.env.ROTATED_PASSWORD;
await admin.query(`ALTER ROLE ${admin.escapeIdentifier(user)} PASSWORD ${admin.escapeLiteral(rotated)}`);
await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: process.env.DB_SECRET_ARN, SecretString: JSON.stringify({ username: user, password: rotated }) }));
await closeSessions();

// The control: a handler without the refetch opens its next connection with the password it kept.
const control = await app.pool.connect().then(
  (client) => {
    client.release();
    return 'connected';
  },
  (error) => error.code ?? error.message,
);
const third = await app.handler(event, { awsRequestId: 'rotation-3' });
console.log(JSON.stringify({ first, second, third, control }));
await app.pool.end();
await admin.end();
