// Modelled on https://github.com/spack/spack-infrastructure/pull/1382 (session SETs defeat RDS Proxy; a setting scoped to the transaction does not)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({ max: 1, idleTimeoutMillis: 60_000, connectionTimeoutMillis: 5_000, query_timeout: 8_000 });
pool.on('error', (error: Error) => console.warn(error.message));

export const handler = async (event: { tenant: string }) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.tenant', $1, true)", [event.tenant]);
    await client.query("SET LOCAL statement_timeout = '3s'");
    const { rows } = await client.query('SELECT * FROM invoices');
    await client.query('COMMIT');
    return rows;
  } finally {
    client.release();
  }
};
