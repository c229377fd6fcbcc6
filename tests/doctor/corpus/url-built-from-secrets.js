// Modelled on https://github.com/brianc/node-postgres/issues/2880 (a URL assembled from variables plus rejectUnauthorized: false, still failing on the certificate)
const { Pool } = require('pg');

const { DB_USERNAME, DB_PASSWORD, DB_HOSTNAME, DB_NAME } = process.env;
const url = `postgres://${DB_USERNAME}:${encodeURIComponent(DB_PASSWORD)}@${DB_HOSTNAME}:5432/${DB_NAME}`;

const pool = new Pool({ // expect: missing-error-listener
  connectionString: url,
  max: 1,
  connectionTimeoutMillis: 5000,
  query_timeout: 8000,
  ssl: {
    rejectUnauthorized: false, // expect: tls-unverified
  },
});

module.exports.handler = async (event) => {
  const { rows } = await pool.query('SELECT * FROM accounts WHERE id = $1', [event.accountId]);
  return rows[0] ?? null;
};
