// A new connection per invocation: connect, query, do the rest of the work, disconnect.
import pg from 'pg';

export const handler = async (event) => {
  // Host, user, password and database come from PGHOST, PGUSER, PGPASSWORD, PGDATABASE.
  const client = new pg.Client();
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
    // The rest of the request (calling other services, rendering) while the connection stays open.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
    return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
  } finally {
    await client.end();
  }
};
