// A module-level pool: each environment keeps one connection open between invocations.
import { Pool } from 'pg';

const pool = new Pool({ max: 1 });
pool.on('error', (err) => console.warn('idle connection closed:', err.message));

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
