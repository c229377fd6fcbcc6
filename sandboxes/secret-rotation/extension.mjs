// The same refetch on 28P01, but through the AWS Parameters and Secrets Lambda Extension's cache:
// a refetch within SECRETS_MANAGER_TTL of the cached fetch returns the cached, rotated-away password.
import pg from 'pg';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

// In production the function asks the extension over HTTP:
//   fetch(`http://localhost:2773/secretsmanager/get?secretId=${id}`,
//         { headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN } })
// and the extension answers from its cache until the entry is SECRETS_MANAGER_TTL seconds old (300 by
// default). The simulator runs no extension: this function is its cache, with the same rule.
const secrets = new SecretsManagerClient({});
const ttlMs = Number(process.env.SECRETS_MANAGER_TTL ?? 300) * 1000;
let entry = null;

function fromExtension() {
  if (!entry || ttlMs === 0 || Date.now() - entry.fetchedAt >= ttlMs) {
    const value = secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID })).then(({ SecretString }) => JSON.parse(SecretString));
    entry = { value, fetchedAt: Date.now() };
    value.catch(() => (entry = null));
  }
  return entry.value;
}

const secret = await fromExtension();

const pool = new pg.Pool({
  host: secret.host,
  port: secret.port,
  user: secret.username,
  password: async () => (await fromExtension()).password,
  database: secret.dbname,
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence.
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

pool.on('error', (err) => {
  console.warn('idle connection closed by the server:', err.message);
});

async function query(text, values) {
  try {
    return await pool.query(text, values);
  } catch (err) {
    if (err.code !== '28P01') throw err;
    // The retry asks the extension again, which still holds the old password until its entry expires.
    console.warn('password rejected; asking the extension again');
    return pool.query(text, values);
  }
}

export const handler = async (event) => {
  const { rows } = await query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
