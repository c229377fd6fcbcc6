// IAM authentication through RDS Proxy, with the token made once per execution environment, at INIT,
// and used as the password of every connection the environment opens afterwards.
import pg from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

// Credentials and region come from the function's environment, as the Lambda runtime sets them.
const signer = new Signer({ hostname: process.env.PGHOST, port: Number(process.env.PGPORT), username: process.env.PGUSER });
const token = await signer.getAuthToken();

export const handler = async (event) => {
  // IAM authentication to a proxy requires TLS.
  const client = new pg.Client({
    password: token,
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
