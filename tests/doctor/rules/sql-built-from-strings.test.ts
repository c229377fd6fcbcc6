import { describe, expect, it } from 'vitest';
import { hits, lines } from '../support.ts';

const rule = 'sql-built-from-strings';

describe(rule, () => {
  it('reports template interpolation and concatenation in pg queries, also through a variable', () => {
    const code = `import pg from 'pg';
const pool = new pg.Pool();
export const handler = async (event) => {
  await pool.query(\`SELECT * FROM orders WHERE id = \${event.id}\`);
  await pool.query('SELECT * FROM orders WHERE id = ' + event.id);
  const sql = "DELETE FROM orders WHERE id = '" + event.id + "'";
  await pool.query(sql);
  await pool.query('SELECT * FROM orders WHERE id = $1', [event.id]);
};`;
    expect(hits(rule, code)).toEqual(['4: SQL built by interpolation', '5: SQL built by concatenation', '7: SQL built by concatenation']);
  });

  it('treats constants joined or interpolated as literal SQL', () => {
    expect(lines(rule, `import pg from 'pg';\nconst TABLE = 'orders';\nconst pool = new pg.Pool();\nawait pool.query(\`SELECT * FROM \${TABLE}\`);\nawait pool.query('SELECT 1 ' + 'FROM x');`)).toEqual([]);
  });

  it('reports f-strings, % formatting and .format in Python, and the Data API sql argument', () => {
    const code = `def handler(event, context):
    cur.execute(f"SELECT * FROM t WHERE id = {event['id']}")
    cur.execute("SELECT * FROM t WHERE id = %s" % event["id"])
    cur.execute("SELECT * FROM t WHERE id = {}".format(event["id"]))
    cur.execute("SELECT * FROM t WHERE id = %s", (event["id"],))
    client.execute_statement(resourceArn=a, secretArn=s, sql=f"DELETE FROM t WHERE id = {event['id']}")
`;
    expect(lines(rule, code, 'python')).toEqual([2, 3, 4, 6]);
  });
});
