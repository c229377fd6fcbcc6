// Modelled on https://github.com/brianc/node-postgres/issues/2961 (a pool kept across invocations with callbackWaitsForEmptyEventLoop = false)
import { Pool } from 'pg';
import type { Context } from 'aws-lambda';

let pool: Pool | undefined;

export const handler = async (event: { name: string }, context: Context) => {
  context.callbackWaitsForEmptyEventLoop = false;
  pool ??= new Pool({ max: 1, connectionTimeoutMillis: 5_000, query_timeout: 8_000 }); // expect: missing-error-listener
  const client = await pool.connect();
  try {
    return (await client.query('SELECT $1::text AS message', [event.name])).rows[0];
  } finally {
    client.release();
  }
};
