// One connection per execution environment, reused across invocations (through RDS Proxy), and a
// session setting made at the start of every invocation. The SET pins the proxy session: from then
// on this environment's client keeps its database connection, even while it is frozen between calls.
import pg from 'pg';

const pool = new pg.Pool({ max: 1 });

export const handler = async (event) => {
  await pool.query("SET statement_timeout = '3s'");
  const { rows } = await pool.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
  // The rest of the request (calling other services, rendering).
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
  return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
};
