// Modelled on https://github.com/brianc/node-postgres/issues/2558 (a hosted database's URL carries ?sslmode=require, which encrypts without checking the server)
import { Pool } from 'pg';

const pool = new Pool({
  connectionString: 'postgres://reporting@reports.example.internal:5432/reports?sslmode=require', // expect: tls-unverified
  max: 1,
  connectionTimeoutMillis: 3_000,
  query_timeout: 8_000,
});
pool.on('error', (error) => console.warn('idle client error', error.message));

export const handler = async () => (await pool.query('SELECT count(*) FROM reports')).rows[0];
