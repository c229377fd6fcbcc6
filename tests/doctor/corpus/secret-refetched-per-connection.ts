// Modelled on https://github.com/wellcomecollection/catalogue-pipeline/pull/3500 (the fix for the report above: read the secret when a connection opens, not once at INIT)
import pg from 'pg';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const secrets = new SecretsManagerClient({});

async function currentPassword(): Promise<string> {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ARN }));
  return (JSON.parse(SecretString ?? '{}') as { password: string }).password;
}

const pool = new pg.Pool({
  host: process.env.DB_HOST,
  user: 'identifiers',
  // pg asks for the password each time it opens a connection: a rotated secret is picked up by the next one.
  password: currentPassword,
  max: 1,
  ssl: { rejectUnauthorized: true },
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
});
pool.on('error', (error) => console.warn('idle connection closed:', error.message));

export const handler = async (event: { source: string }) => (await pool.query('SELECT next_id FROM identifiers WHERE source = $1', [event.source])).rows[0];
