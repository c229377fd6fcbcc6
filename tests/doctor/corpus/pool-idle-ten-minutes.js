// Modelled on https://github.com/brianc/node-postgres/issues/2112 ("Connection terminated unexpectedly" after 10 idle minutes in Lambda)
const { Pool } = require('pg');

// One pool per environment, sized from the environment, with an error listener but no bounds.
const pool = new Pool({ // expect: connect-timeout, query-timeout
  host: process.env.PG_HOST,
  user: process.env.PG_USER,
  database: process.env.PG_DATABASE,
  password: process.env.PG_PASSWORD, // expect: password-from-env
  max: Number(process.env.MAX_CLIENTS),
});
pool.on('error', (error) => console.error('pool error', error));

exports.handler = async (event) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM exports WHERE owner = $1', [event.owner]);
    return rows;
  } finally {
    client.release();
  }
};
