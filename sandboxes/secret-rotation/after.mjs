// The secret fetched at INIT and cached; a login refused with 28P01 means it was rotated, so the
// function fetches it again, past its cache, and retries once.
import pg from 'pg';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

const secrets = new SecretsManagerClient({});
let cached = null;

function credentials({ refresh = false } = {}) {
  if (!cached || refresh) {
    cached = secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID })).then(({ SecretString }) => JSON.parse(SecretString));
    // A failed fetch is not kept: the next call tries again.
    cached.catch(() => (cached = null));
  }
  return cached;
}

const secret = await credentials();

const pool = new pg.Pool({
  host: secret.host,
  port: secret.port,
  user: secret.username,
  // pg asks for the password each time it opens a connection: the cached secret, or the refetched one.
  password: async () => (await credentials()).password,
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
    // 28P01: password authentication failed. Open connections are not affected by a rotation, so only
    // a new login sees it: fetch the current secret and try once more.
    if (err.code !== '28P01') throw err;
    console.warn('password rejected; fetching the secret again');
    await credentials({ refresh: true });
    return pool.query(text, values);
  }
}

export const handler = async (event) => {
  const { rows } = await query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
