// A transaction held open while the function calls another service: the proxy cannot take the
// database connection back before COMMIT, so every invocation holds one for the whole call.
import pg from 'pg';

const pool = new pg.Pool({ max: 1 });

export const handler = async (event) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1 FOR UPDATE', [event.orderId]);
    // The payment provider answers in WORK_MS, while the transaction (and its connection) stays open.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
    await client.query("UPDATE orders SET status = 'charged' WHERE id = $1", [event.orderId]);
    await client.query('COMMIT');
    return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};
