// Modelled on https://github.com/brianc/node-postgres/issues/1635 ("Cannot use a pool after calling end on the pool" on the second Lambda call)
const { Pool } = require('pg');

const pool = new Pool({ // expect: pool-size, missing-error-listener, connect-timeout, query-timeout
  host: 'orders.abcdefghij.eu-west-1.rds.amazonaws.com',
  user: 'orders_app',
  password: 'correct-horse-battery', // expect: credentials-in-code
  database: 'orders',
  port: 5432,
});

async function lookup(sql, values) {
  const result = await pool.query(sql, values);
  return result.rows;
}

exports.handler = async (event) => {
  const rows = await lookup('SELECT * FROM orders WHERE id = $1', [event.id]);
  await pool.end(); // expect: connection-closed-in-handler
  return rows;
};
