// A new connection per invocation: connect, query, do the rest of the work, disconnect.
import pg from 'pg';

export const handler = async (event) => {
  // Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
  // simulator sets. In production the password is never an environment variable: read it from Secrets
  // Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
  const client = new pg.Client({
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
    // The rest of the request (calling other services, rendering) while the connection stays open.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
    return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
  } finally {
    await client.end();
  }
};
