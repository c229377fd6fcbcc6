// Modelled on https://github.com/retracedhq/retraced/pull/388 ("drain pg pool on SIGTERM", so connections do not outlive the process)
import { Pool } from 'pg';

const pool = new Pool({
  max: 1,
  idleTimeoutMillis: 60_000,
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
  ssl: { rejectUnauthorized: true },
});
pool.on('error', (error) => console.warn('idle connection closed:', error.message));

async function drain(): Promise<void> {
  await pool.end();
}

process.once('SIGTERM', () => void drain());

export const handler = async (event: { project: string }) => (await pool.query('SELECT count(*) FROM events WHERE project = $1', [event.project])).rows[0];
