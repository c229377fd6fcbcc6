// Modelled on https://github.com/postgresql-interfaces/psqlodbc/issues/143 (temporary tables are among the interactions that pin behind RDS Proxy)
// doctor: --proxy
import pg from 'pg';

const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 5_000, query_timeout: 30_000 });
pool.on('error', (error: Error) => console.warn(error.message));

export const handler = async (event: { ids: number[] }): Promise<number> => {
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE wanted (id bigint)'); // expect: proxy-pinning
    await client.query('INSERT INTO wanted SELECT unnest($1::bigint[])', [event.ids]);
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM orders JOIN wanted USING (id)');
    return Number(rows[0]!.n);
  } finally {
    client.release();
  }
};
