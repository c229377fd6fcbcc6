/** SQL put together from strings instead of parameters. */
import type { Rule } from '../rule.ts';

const how = { concatenation: 'concatenation', interpolation: 'interpolation', format: 'string formatting' } as const;

export const rule: Rule = {
  id: 'sql-built-from-strings',
  severity: 'error',
  title: 'SQL is built from strings instead of parameters',
  why: 'A value spliced into the SQL text can change the statement (SQL injection), and every distinct text is parsed and planned anew.',
  fix: "Send values as parameters: pg `client.query('SELECT … WHERE id = $1', [id])`; psycopg `cur.execute('SELECT … WHERE id = %s', (id,))`; Data API `sql: 'SELECT … WHERE id = :id', parameters: [...]`.",
  chapter: 'choosing-a-pattern',
  check(facts) {
    return facts.queries.flatMap((query) => (query.sql.kind === 'built' ? [{ place: query.place, message: `SQL built by ${how[query.sql.how]}` }] : []));
  },
};
