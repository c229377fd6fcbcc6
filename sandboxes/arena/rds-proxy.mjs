// Pattern 2: the same pool, pointed at the RDS Proxy endpoint instead of the instance.
import { Pool } from 'pg';

const pool = new Pool({ host: process.env.PROXY_HOST, max: 1, idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await pool.query('INSERT INTO order_events (order_id) VALUES ($1)', [event.orderId]);
  return { statusCode: 201 };
};
