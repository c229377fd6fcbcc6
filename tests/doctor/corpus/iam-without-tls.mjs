// Modelled on https://github.com/aws/aws-sdk-go/issues/3107 (an IAM token that works in psql is refused from Lambda: "pg_hba.conf rejects connection … SSL off")
import pg from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({ hostname: process.env.PGHOST, port: 5432, username: process.env.PGUSER });

export const handler = async () => {
  const client = new pg.Client({ password: () => signer.getAuthToken(), connectionTimeoutMillis: 5_000, query_timeout: 8_000 }); // expect: per-invocation-connection, tls-unverified
  await client.connect();
  try {
    return (await client.query('SELECT current_user')).rows[0];
  } finally {
    await client.end();
  }
};
