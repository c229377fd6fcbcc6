// Modelled on https://github.com/transformerlab/transformerlab-app/pull/1452 (raising pool limits to 20 when the connections run out)
// doctor: --concurrency 100 --max-connections 400
import pg from 'pg';

const pool = new pg.Pool({ max: 20, connectionTimeoutMillis: 5_000, query_timeout: 8_000 }); // expect: pool-size, connection-budget
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => {
  const [user, orders] = await Promise.all([
    pool.query('SELECT * FROM users WHERE id = $1', [event.userId]),
    pool.query('SELECT * FROM orders WHERE user_id = $1', [event.userId]),
  ]);
  return { user: user.rows[0], orders: orders.rows };
};
