// Modelled on https://github.com/brianc/node-postgres/issues/3107 (table names formatted into the SQL text, literal credentials in the config)
import pg from 'pg';

const pool = new pg.Pool({ // expect: pool-size, missing-error-listener, connect-timeout, query-timeout
  host: 'cloud_postgres',
  port: 5432,
  database: 'DB',
  user: 'username',
  password: 'p4ssw0rd', // expect: credentials-in-code
});

export const handler = async (event) => {
  const result = await pool.query(`SELECT * FROM ${event.table} WHERE created_at > now() - interval '1 day'`); // expect: sql-built-from-strings
  return result.rows;
};
