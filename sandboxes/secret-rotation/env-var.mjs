// The password in an environment variable: whatever the function's configuration said at deployment.
import pg from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets as the function's configuration would. That is the mistake this version shows: a
// rotation changes the password in the database and in Secrets Manager, never in the configuration. In
// production read it from Secrets Manager once at INIT (and again on 28P01), or sign an IAM token per
// connection, as the projects `connlab generate` writes do.
const pool = new pg.Pool({
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence.
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

// The server may close an idle connection while the environment is frozen (idle_session_timeout):
// the pool drops it and opens a new one on the next query.
pool.on('error', (err) => {
  console.warn('idle connection closed by the server:', err.message);
});

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
