// Modelled on https://github.com/brianc/node-postgres/issues/1783 (a quick handler with a literal password and SQL put together by hand)
const { Pool } = require('pg');

const pool = new Pool({ max: 1, connectionTimeoutMillis: 5000, query_timeout: 8000 });
pool.on('error', (err) => console.error(err));

exports.handler = async (event) => {
  const where = "WHERE email = '" + event.email + "'";
  const { rows } = await pool.query('SELECT id FROM members ' + where); // expect: sql-built-from-strings
  return rows;
};
