// Modelled on https://github.com/giselles-ai/giselle/pull/2726 (turning certificate checks off to reach RDS, whose CA Node does not trust)
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 1,
  connectionTimeoutMillis: 5_000,
  query_timeout: 10_000,
  ssl: { rejectUnauthorized: false }, // expect: tls-unverified
});
pool.on('error', (error: Error) => console.warn(error.message));

export async function handler(event: { query: string; values: unknown[] }) {
  const result = await pool.query(event.query, event.values);
  return result.rows;
}
