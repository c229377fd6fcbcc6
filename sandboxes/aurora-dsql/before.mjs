// A connection per invocation to Aurora DSQL, with a fresh IAM token for each: correct on its own, but
// every invocation is a new connection, and a cluster accepts only so many new connections per second.
import pg from 'pg';
import { DsqlSigner } from '@aws-sdk/dsql-signer';

// Credentials and region come from the function's environment, as the Lambda runtime sets them.
const signer = new DsqlSigner({ hostname: process.env.PGHOST });

export const handler = async (event) => {
  const client = new pg.Client({
    // DSQL has no passwords: the password is an IAM token, checked once, when the connection opens.
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
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
    return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
  } finally {
    await client.end();
  }
};
