// Modelled on https://github.com/brianc/node-postgres/issues/2780 (a long-lived Client with ssl: true dies with "Connection terminated unexpectedly")
import pg from 'pg';

const client = new pg.Client({ // expect: missing-error-listener, connect-timeout, query-timeout
  host: process.env.DB_HOST,
  user: 'website',
  database: 'website',
  password: process.env['PASSWORD'], // expect: password-from-env
  port: 5432,
  ssl: true, // expect: tls-unverified
});
await client.connect();

export const handler = async () => {
  const { rows } = await client.query('SELECT * FROM saves LIMIT 10');
  return rows;
};
