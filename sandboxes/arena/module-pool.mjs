// Pattern 1: a pg pool per execution environment, straight to the instance.
import { Pool } from 'pg';

const pool = new Pool({ max: 1, idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await pool.query('INSERT INTO order_events (order_id) VALUES ($1)', [event.orderId]);
  return { statusCode: 201 };
};
