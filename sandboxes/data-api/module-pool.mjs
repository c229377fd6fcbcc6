// The same lookup over a pg pool of one connection per environment, for comparison: the database
// sees one connection per execution environment instead of the Data API's few.
import { Pool } from 'pg';

const pool = new Pool({ max: 1, idleTimeoutMillis: 60_000 });

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0]) };
};
