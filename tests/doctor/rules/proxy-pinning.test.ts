import { describe, expect, it } from 'vitest';
import { hits, lines } from '../support.ts';

const rule = 'proxy-pinning';

const js = `import pg from 'pg';
const pool = new pg.Pool({ max: 1, options: '-c search_path=app' });
export const handler = async () => {
  await pool.query("SET statement_timeout = '3s'");
  await pool.query("SET LOCAL statement_timeout = '3s'");
  await pool.query({ name: 'by-id', text: 'SELECT 1 WHERE $1', values: [1] });
  await pool.query('SELECT pg_advisory_lock(1)');
  await pool.query('SELECT pg_advisory_xact_lock(1)');
  await pool.query('CREATE TEMP TABLE t (id int)');
  await pool.query('LISTEN orders');
};`;

describe(rule, () => {
  it('reports SET (not SET LOCAL), named statements, advisory locks, temp tables, LISTEN and startup options behind a proxy', () => {
    expect(lines(rule, js, 'javascript', { proxy: true })).toEqual([2, 4, 6, 7, 9, 10]);
  });

  it('says nothing when the target is not a proxy, and recognises a proxy host name', () => {
    expect(lines(rule, js)).toEqual([]);
    const named = `import pg from 'pg';\nconst pool = new pg.Pool({ host: 'app.proxy-abc123.eu-west-1.rds.amazonaws.com' });\nexport const handler = async () => pool.query('SET search_path TO app');`;
    expect(hits(rule, named)).toEqual(['3: SET (session parameter) pins the proxy session to its database connection']);
  });

  it('reads Python cursors', () => {
    expect(lines(rule, `def handler(event, context):\n    cur.execute("SET application_name = 'x'")\n    cur.execute("SELECT 1")\n`, 'python', { proxy: true })).toEqual([2]);
  });
});
