// The same pool, made safe for an environment that may sleep for minutes between invocations.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  max: 1,
  // Close idle connections before the server's idle_session_timeout (60 s) does.
  idleTimeoutMillis: 30_000,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
  // system's: 2 hours on Linux).
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

// While the environment is frozen the server may close an idle connection; pg reports that on the
// idle client when the environment thaws. Without a listener the error is uncaught and the runtime
// exits. With one, the pool drops the dead client and the next query opens a new connection.
pool.on('error', (err) => {
  console.warn('idle connection closed by the server:', err.message);
});

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
