// A module-level pool, as AWS advises ("initialize database connections outside of the function
// handler"), with bounded waits but nothing for a frozen environment: no 'error' listener, pg's
// default idle timeout.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  max: 1,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
  // system's: 2 hours on Linux). None of them helps here: a frozen environment runs no timer and sends
  // no probe, and the server's message is already waiting when it thaws.
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
