// The pool is created once per execution environment, outside the handler, and reused while the
// environment lives. Each invocation runs its lookups in parallel, so it uses up to `max` connections.
import { Pool } from 'pg';

const pool = new Pool({ max: Number(process.env.POOL_MAX), idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  const [order, items] = await Promise.all([
    pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]),
    pool.query('SELECT count(*)::int AS lines FROM order_lines WHERE order_id = $1', [event.orderId]),
  ]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify({ ...order.rows[0], lines: items.rows[0].lines }) };
};
