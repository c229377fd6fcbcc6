// Modelled on https://github.com/aws-samples/aws-serverless-app-with-aurora-and-python-sql-alchemy-example/issues/9 (pool settings behind RDS Proxy, with a recycle time of an hour)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({
  max: 1,
  idleTimeoutMillis: 3_600_000, // expect: idle-timeout
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
});
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => (await pool.query('SELECT * FROM carts WHERE id = $1', [event.cartId])).rows;
