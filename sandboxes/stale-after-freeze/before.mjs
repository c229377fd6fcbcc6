// A module-level pool, as AWS advises ("initialize database connections outside of the function
// handler"), and nothing else: no 'error' listener, pg's default idle timeout.
import { Pool } from 'pg';

const pool = new Pool({ max: 1 });

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
