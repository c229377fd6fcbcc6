// The slow call happens before the transaction: the connection is borrowed only for the two short
// statements, so the same small pool serves every caller.
import pg from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new pg.Pool({
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
  // system's: 2 hours on Linux). A statement waiting in the proxy's borrow queue is waiting for its
  // answer too: with a ConnectionBorrowTimeout above 8 s, this bound ends the wait first.
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
  const { rows } = await pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
  // The payment provider answers in WORK_MS; no transaction is open meanwhile.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await pool.query("UPDATE orders SET status = 'charged' WHERE id = $1 AND status <> 'charged'", [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
