// The same pool, closed when Lambda shuts the environment down. Lambda sends the runtime SIGTERM
// only when the function registers an extension (this version's deployment does), and gives it
// 500 ms with an internal extension, 300 ms with external ones only, before SIGKILL.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection, 8 s for any answer; keepalive probes
  // after 10 s of silence. All of them are the client's: once the environment is gone, only the
  // server's own timeouts, or the client's goodbye before it goes, can close its connection.
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});
pool.on('error', (err) => console.warn('idle connection closed:', err.message));

// pool.end() sends PostgreSQL's Terminate and closes the socket: the server frees the backend at
// once instead of holding it until keepalive gives up. A listener also replaces Node's default
// action for SIGTERM (exit at once), so the process lives until SIGKILL; nothing else to do here.
process.on('SIGTERM', async () => {
  await pool.end();
  console.info('SIGTERM: pool closed');
});

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  await callDownstream(event.orderId);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};

// The rest of the request. One order in SLOW_EVERY hangs it past the function timeout (0: none does).
function callDownstream(orderId) {
  const every = Number(process.env.SLOW_EVERY);
  const ms = every > 0 && orderId % every === 0 ? 60_000 : Number(process.env.WORK_MS);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
