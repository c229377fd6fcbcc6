// For comparison: the API function writes the order itself, with a pool per environment. Every
// concurrent environment holds a connection.
import { Pool } from 'pg';

const pool = new Pool({ max: 1, idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  await pool.query('INSERT INTO order_events (order_id) VALUES ($1)', [event.orderId]);
  return { statusCode: 201, body: 'stored' };
};
