// Modelled on https://github.com/beekeeper-studio/beekeeper-studio/issues/2594 ("PAM authentication failed" some twenty minutes after an IAM login)
import pg from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({ hostname: process.env.DB_HOST, port: 5432, username: 'reporting' });
const token = await signer.getAuthToken(); // expect: iam-token-at-init

const pool = new pg.Pool({
  host: process.env.DB_HOST,
  user: 'reporting',
  password: token,
  max: 1,
  ssl: { rejectUnauthorized: true },
  connectionTimeoutMillis: 5_000,
  query_timeout: 8_000,
});
pool.on('error', (error) => console.warn(error.message));

export const handler = async () => (await pool.query('SELECT now()')).rows[0];
