// Modelled on https://github.com/brianc/node-postgres/issues/3298 (pool idle and lifetime defaults that are not what the documentation says)
import pg from 'pg';

const pool = new pg.Pool({
  max: 1,
  idleTimeoutMillis: 0, // expect: idle-timeout
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
});
pool.on('error', (error) => console.warn(error.message));

export const handler = async () => (await pool.query('SELECT 1')).rows;
