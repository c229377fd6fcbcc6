// Invoked by the event source mapping with up to BatchSize messages. One connection per
// environment, and at most MaximumConcurrency environments busy: that bounds the database's load.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({
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
  const orderIds = event.Records.map((record) => JSON.parse(record.body).orderId);
  await pool.query('INSERT INTO order_events (order_id) SELECT unnest($1::int[])', [orderIds]);
  // The rest of the work per batch (calling other services).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  // ReportBatchItemFailures: nothing failed, so every message is deleted.
  return { batchItemFailures: [] };
};
