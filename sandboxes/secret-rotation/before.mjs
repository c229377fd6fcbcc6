// The password read from Secrets Manager once, at INIT, and kept for the environment's whole life.
import pg from 'pg';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

const secrets = new SecretsManagerClient({});
const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID }));
const secret = JSON.parse(SecretString);

const pool = new pg.Pool({
  host: secret.host,
  port: secret.port,
  user: secret.username,
  password: secret.password,
  database: secret.dbname,
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence.
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

// The server may close an idle connection while the environment is frozen (idle_session_timeout):
// the pool drops it and opens a new one on the next query, with the password it was given at INIT.
pool.on('error', (err) => {
  console.warn('idle connection closed by the server:', err.message);
});

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
