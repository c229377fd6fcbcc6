import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';

// The RDS certificate authorities (global-bundle.pem from truststore.pki.rds.amazonaws.com), in a layer.
const ca = readFileSync('/opt/rds-global-bundle.pem', 'utf8');
const secrets = new SecretsManagerClient({});
let secret;

// The database secret as RDS stores it (host, port, dbname, username, password): read once per
// execution environment and kept for its later invocations.
async function readSecret() {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ID }));
  secret = JSON.parse(SecretString);
}

// Top-level await: the first read happens during Init, not in the first invocation.
await readSecret();

async function findOrder(orderId) {
  // A new TCP connection, TLS handshake and authentication, every time.
  const client = new pg.Client({
    host: secret.host,
    port: secret.port,
    database: secret.dbname,
    user: secret.username,
    password: secret.password,
    ssl: { ca }, // verify the server's certificate against the RDS CA
    // Nothing waits without a bound: 5 s to open the connection (TCP, TLS, authentication), 8 s for any
    // answer. Keepalive probes start after 10 s of silence (Node's default is the system's: 2 h on Linux).
    connectionTimeoutMillis: 5_000,
    query_timeout: 8_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [orderId]);
    // The rest of the request (calling other services, rendering) while the connection stays open.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
    return rows[0] ?? null;
  } finally {
    await client.end();
  }
}

export const handler = async (event) => {
  let order;
  try {
    order = await findOrder(event.orderId);
  } catch (error) {
    // 28P01 (invalid_password): the secret was rotated since Init. Read it again and retry once.
    if (error.code !== '28P01') throw error;
    await readSecret();
    order = await findOrder(event.orderId);
  }
  return { statusCode: 200, body: JSON.stringify(order) };
};
