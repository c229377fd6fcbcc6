// Modelled on https://github.com/brianc/node-postgres/issues/1206 (a client per Lambda invocation, and "an unbounded number of clients" against max_connections)
// doctor: --concurrency 200 --max-connections 79
import pg from 'pg';

export const handler = async (event) => {
  const client = new pg.Client({ keepAlive: true }); // expect: per-invocation-connection, connection-budget, connect-timeout, query-timeout
  await client.connect();
  try {
    const { rows } = await client.query('SELECT name FROM products WHERE sku = $1', [event.sku]);
    return rows[0];
  } finally {
    await client.end();
  }
};
