// The same, with a fresh token for every connection: pg calls the password function each time it
// connects, so no connection ever presents a token older than a few milliseconds.
import pg from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({ hostname: process.env.PGHOST, port: Number(process.env.PGPORT), username: process.env.PGUSER });

export const handler = async (event) => {
  const client = new pg.Client({
    password: () => signer.getAuthToken(),
    ssl: { rejectUnauthorized: true },
    // Nothing waits without a bound: 5 s to open the connection (TCP, TLS, authentication), 8 s for any
    // answer. Keepalive probes start after 10 s of silence (with no delay given, Node keeps the operating
    // system's: 2 hours on Linux).
    connectionTimeoutMillis: 5_000,
    query_timeout: 8_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id, status, total FROM orders WHERE id = $1', [event.orderId]);
    return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
  } finally {
    await client.end();
  }
};
