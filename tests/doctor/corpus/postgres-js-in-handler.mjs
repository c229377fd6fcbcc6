// Modelled on https://github.com/cds-snc/platform-forms-client/issues/5653 (many concurrent Lambda executions exceed the cluster's connections)
import postgres from 'postgres';

export const handler = async (event) => {
  const sql = postgres(process.env.DATABASE_URL); // missed: per-invocation-connection (the doctor does not read the postgres.js driver)
  const rows = await sql`SELECT * FROM submissions WHERE id = ${event.id}`;
  await sql.end();
  return rows;
};
