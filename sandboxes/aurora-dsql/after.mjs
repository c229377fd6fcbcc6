// One connection per execution environment, kept in module scope and reused by every invocation, a
// fresh IAM token for each connection it opens, and a jittered exponential retry when the cluster's
// connection rate is spent (53400): a thousand cold starts spread their connections out instead of
// failing together.
import pg from 'pg';
import { DsqlSigner } from '@aws-sdk/dsql-signer';

const signer = new DsqlSigner({ hostname: process.env.PGHOST });

const RATE_EXCEEDED = '53400';
const ATTEMPTS = 8;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

// The environment's connection: opened by its first invocation, opened again after DSQL closes it (a
// session lasts at most an hour) or after any error on it.
let connection = null;

async function connect() {
  for (let attempt = 1; ; attempt++) {
    // A client that failed to connect cannot connect again: each attempt gets its own.
    const client = new pg.Client({
      password: () => signer.getDbConnectAdminAuthToken(),
      ssl: { rejectUnauthorized: true },
      // Nothing waits without a bound: 5 s to open the connection (TCP, TLS, authentication), 8 s for any
      // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
      // system's: 2 hours on Linux).
      connectionTimeoutMillis: 5_000,
      query_timeout: 8_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('error', () => {
      connection = null;
    });
    client.on('end', () => {
      connection = null;
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      if (error.code !== RATE_EXCEEDED || attempt === ATTEMPTS) throw error;
      // Full jitter: a random wait up to a cap that doubles each attempt, so environments refused in the
      // same instant come back at different ones.
      const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    }
  }
}

export const handler = async (event) => {
  connection ??= connect().catch((error) => {
    connection = null;
    throw error;
  });
  const client = await connection;
  const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
