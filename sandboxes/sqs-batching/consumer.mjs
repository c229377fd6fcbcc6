// Invoked by the event source mapping with up to BatchSize messages. One connection per
// environment, and at most MaximumConcurrency environments busy: that bounds the database's load.
import { Pool } from 'pg';

const pool = new Pool({ max: 1, idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  const orderIds = event.Records.map((record) => JSON.parse(record.body).orderId);
  await pool.query('INSERT INTO order_events (order_id) SELECT unnest($1::int[])', [orderIds]);
  // The rest of the work per batch (calling other services).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  // ReportBatchItemFailures: nothing failed, so every message is deleted.
  return { batchItemFailures: [] };
};
