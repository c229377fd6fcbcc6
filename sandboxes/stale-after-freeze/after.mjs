// The same pool, made safe for an environment that may sleep for minutes between invocations.
import { Pool } from 'pg';

const pool = new Pool({
  max: 1,
  // Close idle connections before the server's idle_session_timeout (60 s) does.
  idleTimeoutMillis: 30_000,
});

// While the environment is frozen the server may close an idle connection; pg reports that on the
// idle client when the environment thaws. Without a listener the error is uncaught and the runtime
// exits. With one, the pool drops the dead client and the next query opens a new connection.
pool.on('error', (err) => {
  console.warn('idle connection closed by the server:', err.message);
});

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT id, status FROM orders WHERE id = $1', [event.orderId]);
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
