// A transaction held open while the function calls another service: the proxy cannot take the
// database connection back before COMMIT, so every invocation holds one for the whole call.
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
  const client = await pool.connect();
  let failure;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1 FOR UPDATE', [event.orderId]);
    // The payment provider answers in WORK_MS, while the transaction (and its connection) stays open.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
    await client.query("UPDATE orders SET status = 'charged' WHERE id = $1", [event.orderId]);
    await client.query('COMMIT');
    return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // As pool.query does: a client that failed (a timeout, a dead socket) goes back with its error, so
    // the pool destroys it instead of lending it again; its unfinished transaction never commits.
    client.release(failure);
  }
};
