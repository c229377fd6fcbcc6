import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'python-no-reconnect';

describe(rule, () => {
  it('reports a module-level connection with no handler for a broken one', () => {
    expect(lines(rule, `import psycopg2\nconn = psycopg2.connect(host="h")\n\ndef lambda_handler(event, context):\n    conn.cursor().execute("SELECT 1")\n`, 'python')).toEqual([2]);
  });

  it('accepts a reconnect on OperationalError or InterfaceError', () => {
    const code = `import psycopg2
conn = psycopg2.connect(host="h")

def lambda_handler(event, context):
    global conn
    try:
        conn.cursor().execute("SELECT 1")
    except (psycopg2.InterfaceError, psycopg2.OperationalError):
        conn = psycopg2.connect(host="h")
`;
    expect(lines(rule, code, 'python')).toEqual([]);
  });

  it('does not apply to pools or engines, which replace broken connections themselves', () => {
    expect(lines(rule, `from psycopg_pool import ConnectionPool\npool = ConnectionPool("host=h", max_size=1)\n`, 'python')).toEqual([]);
  });
});
