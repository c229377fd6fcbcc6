// Modelled on https://github.com/aws-samples/aws-serverless-app-with-aurora-and-python-sql-alchemy-example/issues/9 (RDS Proxy lends a database connection per transaction, so a transaction held open is a connection held)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 5_000, query_timeout: 8_000 });
pool.on('error', (error) => console.warn(error.message));

export const handler = async (event) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [event.id]);
    await fetch(process.env.PAYMENT_PROVIDER_URL, { method: 'POST' }); // expect: transaction-held-open
    await client.query('COMMIT');
  } finally {
    client.release();
  }
};
