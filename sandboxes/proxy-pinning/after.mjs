// The same setting with SET LOCAL inside a transaction: it ends with the transaction, so nothing
// outlives it and the proxy takes the database connection back at COMMIT.
import pg from 'pg';

const pool = new pg.Pool({ max: 1 });

export const handler = async (event) => {
  const client = await pool.connect();
  let rows;
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL statement_timeout = '3s'");
    ({ rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
