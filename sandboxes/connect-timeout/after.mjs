// The same pool, with a bound on every wait: a failover costs a fast error, not the function timeout.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  max: 1,
  // 2 s to open a connection (TCP, start-up, authentication): a healthy instance answers in
  // milliseconds, so waiting longer only holds the environment (and a unit of concurrency) hostage.
  connectionTimeoutMillis: 2_000,
  // The client's own bound on an answer. The server's statement_timeout cannot help here: a server
  // that does not answer does not time its statements out either.
  query_timeout: 8_000,
  // Keepalive probes after 10 s of silence notice a server that vanished under an open connection
  // (with no delay given, Node keeps the operating system's: 2 hours on Linux).
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});
pool.on('error', (err) => console.warn('idle connection closed:', err.message));

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
