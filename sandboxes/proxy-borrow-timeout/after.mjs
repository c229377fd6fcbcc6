// The slow call happens before the transaction: the connection is borrowed only for the two short
// statements, so the same small pool serves every caller.
import pg from 'pg';

const pool = new pg.Pool({ max: 1 });

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
  // The payment provider answers in WORK_MS; no transaction is open meanwhile.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  await pool.query("UPDATE orders SET status = 'charged' WHERE id = $1 AND status <> 'charged'", [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
