// Modelled on https://github.com/aws/aws-sdk-net/issues/3050 (an IAM token cached by the application fails before the cache expires)
import pg from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({ hostname: process.env.DB_HOST!, port: 5432, username: 'app' });
let cachedToken: string | undefined;

async function token(): Promise<string> {
  if (!cachedToken) cachedToken = await signer.getAuthToken(); // expect: iam-token-at-init
  return cachedToken;
}

export const handler = async (): Promise<unknown> => {
  const client = new pg.Client({ password: await token(), ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 5_000, query_timeout: 8_000 }); // expect: per-invocation-connection
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS ok')).rows[0];
  } finally {
    await client.end();
  }
};
