// One connection per execution environment, reused across invocations (through RDS Proxy), and a
// session setting made at the start of every invocation. The SET pins the proxy session: from then
// on this environment's client keeps its database connection, even while it is frozen between calls.
import pg from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new pg.Pool({
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
  // system's: 2 hours on Linux).
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

// The proxy closes a client connection idle past its IdleClientTimeout, possibly while the environment
// is frozen; pg reports that on thaw, and without a listener the runtime exits (stale-after-freeze).
pool.on('error', (err) => {
  console.warn('idle connection closed:', err.message);
});

export const handler = async (event) => {
  await pool.query("SET statement_timeout = '3s'");
  const { rows } = await pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
