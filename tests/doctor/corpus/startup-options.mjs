// Modelled on https://github.com/prisma/orm/issues/5866 (session settings sent as each connection starts pin it behind RDS Proxy)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({
  max: 1,
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  options: '-c search_path=tenant_a -c statement_timeout=5000', // expect: proxy-pinning
});
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => (await pool.query('SELECT * FROM invoices WHERE id = $1', [event.id])).rows;
