import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'per-invocation-connection';

describe(rule, () => {
  it('reports a pg Client created in an ESM handler, and in a function the handler calls', () => {
    const code = `import pg from 'pg';
function open() {
  return new pg.Client();
}
export const handler = async () => {
  const client = new pg.Client({ connectionTimeoutMillis: 5000 });
  const other = open();
};`;
    expect(lines(rule, code)).toEqual([3, 6]);
  });

  it('reports a CommonJS handler and a TypeScript one', () => {
    expect(lines(rule, `const { Pool } = require('pg');\nexports.handler = async (event) => {\n  const pool = new Pool();\n};`)).toEqual([3]);
    expect(lines(rule, `import { Client } from 'pg';\nexport async function handler(event: { id: string }): Promise<void> {\n  const c: Client = new Client();\n}`, 'typescript')).toEqual([3]);
  });

  it('reports psycopg2, pg8000 and SQLAlchemy inside lambda_handler', () => {
    const code = `import psycopg2
import pg8000.native
from sqlalchemy import create_engine

def lambda_handler(event, context):
    a = psycopg2.connect(host="h")
    b = pg8000.native.Connection("user")
    c = create_engine("postgresql://h/db")
`;
    expect(lines(rule, code, 'python')).toEqual([6, 7, 8]);
  });

  it('does not report a module-level pool, a cache filled on first use, or anything behind a proxy', () => {
    expect(lines(rule, `import pg from 'pg';\nconst pool = new pg.Pool({ max: 1 });\nexport const handler = async () => pool.query('SELECT 1');`)).toEqual([]);
    expect(lines(rule, `import pg from 'pg';\nlet pool;\nexport const handler = async () => {\n  pool ??= new pg.Pool({ max: 1 });\n};`)).toEqual([]);
    const python = `import psycopg2
conn = None

def lambda_handler(event, context):
    global conn
    if conn is None or conn.closed:
        conn = psycopg2.connect(host="h")
`;
    expect(lines(rule, python, 'python')).toEqual([]);
    expect(lines(rule, `import pg from 'pg';\nexport const handler = async () => {\n  const client = new pg.Client();\n};`, 'javascript', { proxy: true })).toEqual([]);
  });
});
