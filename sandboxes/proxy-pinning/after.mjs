// The same setting with SET LOCAL inside a transaction: it ends with the transaction, so nothing
// outlives it and the proxy takes the database connection back at COMMIT. A setting that never changes,
// like this one, needs no statement at all in production: ALTER ROLE app SET statement_timeout = '3s'
// applies it as each session starts. SET LOCAL (or set_config(…, true)) is for values sent per request.
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
  const client = await pool.connect();
  let rows;
  let failure;
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL statement_timeout = '3s'");
    ({ rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]));
    await client.query('COMMIT');
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // As pool.query does: a client that failed (a timeout, a dead socket) goes back with its error, so
    // the pool destroys it instead of lending it again; its unfinished transaction never commits.
    client.release(failure);
  }
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
