// Modelled on https://github.com/cds-snc/forms-terraform/pull/1058 (connections created inside the Lambda functions exhausted the cluster's connections under load)
import { Pool } from 'pg';

interface Submission {
  formId: string;
  payload: string;
}

export const handler = async (event: Submission): Promise<void> => {
  const pool = new Pool({ max: 5, connectionTimeoutMillis: 2_000, query_timeout: 5_000 }); // expect: per-invocation-connection, pool-size
  await pool.query('INSERT INTO submissions (form_id, payload) VALUES ($1, $2)', [event.formId, event.payload]);
  await pool.end();
};
