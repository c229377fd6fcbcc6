// The consumer of pattern 5: batches of orders, one connection per environment.
import { Pool } from 'pg';

const pool = new Pool({ max: 1, idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  const orderIds = event.Records.map((record) => JSON.parse(record.body).orderId);
  await pool.query('INSERT INTO order_events (order_id) SELECT unnest($1::int[])', [orderIds]);
  return { batchItemFailures: [] };
};
