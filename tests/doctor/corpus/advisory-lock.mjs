// Modelled on https://github.com/postgresql-interfaces/psqlodbc/issues/143 (the proxy's list of what pins includes session-level advisory locks)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 5_000, query_timeout: 8_000 });
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [event.jobId]); // expect: proxy-pinning
    await client.query('UPDATE jobs SET started_at = now() WHERE id = $1', [event.jobId]);
    await client.query('SELECT pg_advisory_unlock($1)', [event.jobId]);
  } finally {
    client.release();
  }
};
