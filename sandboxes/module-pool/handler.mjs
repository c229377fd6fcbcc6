// The pool is created once per execution environment, outside the handler, and reused while the
// environment lives. Each invocation runs its lookups in parallel, so it uses up to `max` connections.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  max: Number(process.env.POOL_MAX),
  idleTimeoutMillis: 60_000,
  // Nothing waits without a bound: 5 s to open a connection (TCP, TLS, authentication), 8 s for any
  // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
  // system's: 2 hours on Linux).
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
});

export const handler = async (event) => {
  const [order, items] = await Promise.all([
    pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]),
    pool.query('SELECT count(*)::int AS lines FROM order_lines WHERE order_id = $1', [event.orderId]),
  ]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify({ ...order.rows[0], lines: items.rows[0].lines }) };
};
