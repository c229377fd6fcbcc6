import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'connection-closed-in-handler';

describe(rule, () => {
  it('reports pool.end() in the handler on the module-level pool', () => {
    const code = `import { Pool } from 'pg';
const pool = new Pool({ max: 1 });
export const handler = async () => {
  await pool.query('SELECT 1');
  await pool.end();
};`;
    expect(lines(rule, code)).toEqual([5]);
  });

  it('reports conn.close() on a module-level Python connection', () => {
    const code = `import psycopg2
conn = psycopg2.connect(host="h")

def lambda_handler(event, context):
    conn.close()
`;
    expect(lines(rule, code, 'python')).toEqual([5]);
  });

  it('does not report ending a client the handler opened itself', () => {
    const code = `import pg from 'pg';
export const handler = async () => {
  const client = new pg.Client();
  await client.connect();
  await client.end();
};`;
    expect(lines(rule, code)).toEqual([]);
  });
});
