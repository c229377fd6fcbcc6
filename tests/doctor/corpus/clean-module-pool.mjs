// Modelled on https://github.com/brianc/node-postgres/issues/2112 (the same handler once fixed: one bounded connection per environment that survives a freeze)
import pg from 'pg';

const pool = new pg.Pool({
  max: 1,
  idleTimeoutMillis: 60_000,
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  keepAlive: true,
});
pool.on('error', (error) => console.warn('idle connection closed:', error.message));

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT * FROM exports WHERE owner = $1', [event.owner]);
  return rows;
};
