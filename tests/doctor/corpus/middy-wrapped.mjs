// Modelled on https://github.com/brianc/node-postgres-docs/issues/109 (a client connected on every call from a wrapped Lambda handler)
import middy from '@middy/core';
import pg from 'pg';

const base = async (event) => {
  const client = new pg.Client({ connectionTimeoutMillis: 5_000, query_timeout: 8_000 }); // expect: per-invocation-connection
  await client.connect();
  try {
    return (await client.query('SELECT * FROM rooms WHERE id = $1', [event.roomId])).rows;
  } finally {
    await client.end();
  }
};

export const handler = middy(base);
