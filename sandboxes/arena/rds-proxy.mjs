// Pattern 2: the same pool, pointed at the RDS Proxy endpoint instead of the instance.
import { Pool } from 'pg';

// User, password and database come from PGUSER, PGPASSWORD and PGDATABASE, which the simulator
// sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
  host: process.env.PROXY_HOST,
  max: 1,
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
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await pool.query('INSERT INTO order_events (order_id) VALUES ($1)', [event.orderId]);
  return { statusCode: 201 };
};
