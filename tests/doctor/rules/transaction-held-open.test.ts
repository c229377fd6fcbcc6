import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'transaction-held-open';

describe(rule, () => {
  it('reports an await of another service or a timer between BEGIN and COMMIT', () => {
    const code = `import pg from 'pg';
const pool = new pg.Pool({ max: 1 });
export const handler = async (event) => {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FOR UPDATE');
  await fetch('https://payments.example/charge');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await client.query('COMMIT');
  await fetch('https://mail.example/send');
};`;
    expect(lines(rule, code)).toEqual([7, 8]);
  });

  it('accepts queries and work handed the transaction client, as the generated projects do', () => {
    const code = `export async function inTransaction(client, work) {
  await client.query('BEGIN');
  const result = await work(client);
  await client.query('COMMIT');
  return result;
}`;
    expect(lines(rule, code)).toEqual([]);
  });
});
