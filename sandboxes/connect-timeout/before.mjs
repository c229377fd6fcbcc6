// A module-level pool with pg's defaults: no bound on opening a connection, none on a query.
import { Pool } from 'pg';

// Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD and PGDATABASE, which the
// simulator sets. In production the password is never an environment variable: read it from Secrets
// Manager once at INIT, or sign an IAM token per connection, as the projects `connlab generate` writes do.
const pool = new Pool({ max: 1 });
pool.on('error', (err) => console.warn('idle connection closed:', err.message));

export const handler = async (event) => {
  // While the instance fails over, the TCP handshake succeeds and the start-up packet is never
  // answered: without connectionTimeoutMillis this waits until Lambda's own timeout ends it.
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
