// Modelled on https://github.com/prisma/orm/issues/5866 (every session sets search_path, and RDS Proxy pins all of them)
import pg from 'pg';

const pool = new pg.Pool({
  host: 'catalog.proxy-c1x2y3z4.eu-central-1.rds.amazonaws.com',
  max: 1,
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  ssl: { rejectUnauthorized: true },
});
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => {
  await pool.query('SET search_path TO catalog, public'); // expect: proxy-pinning
  const { rows } = await pool.query('SELECT * FROM items WHERE id = $1', [event.id]);
  return rows;
};
