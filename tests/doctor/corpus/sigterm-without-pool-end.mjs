// Modelled on https://github.com/aws/aws-lambda-web-adapter/issues/202 (a SIGTERM handler under a Lambda extension: what may run before the environment goes)
import pg from 'pg';

const pool = new pg.Pool({ // expect: pool-not-closed-on-shutdown
  max: 1,
  idleTimeoutMillis: 60_000,
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  ssl: { rejectUnauthorized: true },
});
pool.on('error', (error) => console.warn('idle connection closed:', error.message));

process.on('SIGTERM', () => {
  console.info('SIGTERM received, exiting');
  process.exit(0);
});

export const handler = async (event) => (await pool.query('SELECT * FROM sessions WHERE id = $1', [event.sessionId])).rows[0];
