// Modelled on https://github.com/brianc/node-postgres/issues/2326 (prepared statements keep every RDS Proxy session pinned)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 5_000, query_timeout: 8_000 });
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => {
  const { rows } = await pool.query({
    name: 'user-by-email', // expect: proxy-pinning
    text: 'SELECT id, name FROM users WHERE email = $1',
    values: [event.email],
  });
  return rows[0];
};
