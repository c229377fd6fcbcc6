/**
 * The two readers: where they find the handler, how they resolve import aliases, and what they
 * decide runs once per environment and what runs per invocation.
 */
import { describe, expect, it } from 'vitest';
import { readFacts } from '../../src/doctor/analyze.ts';

const handlerLine = (code: string, language: 'javascript' | 'typescript' | 'python' = 'javascript', name?: string) => readFacts(code, language, name).handler?.place.line;

describe('the JavaScript and TypeScript reader', () => {
  it.each([
    ['export const handler = async () => {};', 1],
    ['export async function handler(event) {}', 1],
    // Where it is exported: the name Lambda's handler setting refers to.
    ['async function run() {}\nexport { run as other, run };\nasync function handler() {}\nexport { handler };', 4],
    ['exports.handler = async () => {};', 1],
    ['const go = async () => {};\nmodule.exports.handler = go;', 2],
    ['async function handler() {}\nmodule.exports = { handler };', 2],
    ['const base = async () => {};\nexport const handler = middy(base).use(x());', 2],
  ])('finds the handler in %j', (code, line) => {
    expect(handlerLine(code)).toBe(line);
  });

  it('finds a handler of another name when told, and none in a module without one', () => {
    expect(handlerLine('export const main = async () => {};', 'javascript', 'main')).toBe(1);
    expect(handlerLine('export const pool = 1;')).toBeUndefined();
  });

  it('resolves pg through default, named, renamed, namespace and require imports', () => {
    const code = `import pg from 'pg';
import { Pool as P, Client } from 'pg';
import * as ns from 'pg';
const { Pool: Required } = require('pg');
const Direct = require('pg').Client;
const a = new pg.Pool(); const b = new P(); const c = new Client(); const d = new ns.Pool(); const e = new Required(); const f = new Direct();
const g = new Map();`;
    expect(readFacts(code, 'javascript').creations.map((c) => c.callee)).toEqual(['pg.Pool', 'pg.Pool', 'pg.Client', 'pg.Pool', 'pg.Pool', 'pg.Client']);
  });

  it('reads TypeScript with types, generics and non-null assertions around the calls', () => {
    const code = `import { Pool, type PoolConfig } from 'pg';
const config: PoolConfig = { max: 1, connectionTimeoutMillis: 5_000 };
export const pool: Pool = new Pool(config);
export const handler = async (event: { id: string }): Promise<number> => (await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n;`;
    const facts = readFacts(code, 'typescript');
    expect(facts.handler?.place.line).toBe(4);
    expect(facts.creations[0]?.options.entries.get('max')?.value).toEqual({ kind: 'number', value: 1 });
    expect(facts.queries.map((q) => q.sql)).toEqual([{ kind: 'string', value: 'SELECT 1 AS n' }]);
  });
});

describe('the Python reader', () => {
  it('finds lambda_handler or handler, or the name it is told', () => {
    expect(handlerLine('import os\n\ndef lambda_handler(event, context):\n    pass\n', 'python')).toBe(3);
    expect(handlerLine('def handler(event, context):\n    pass\n', 'python')).toBe(1);
    expect(handlerLine('def main(event, context):\n    pass\n', 'python', 'main')).toBe(1);
  });

  it('resolves import aliases of psycopg2, psycopg, pg8000 and SQLAlchemy', () => {
    const code = `import psycopg2 as pg2
from psycopg import connect as open_connection
import pg8000.native
from sqlalchemy import create_engine as engine_for
from psycopg2.pool import ThreadedConnectionPool
a = pg2.connect()
b = open_connection()
c = pg8000.native.Connection("u")
d = engine_for("postgresql://h/db")
e = ThreadedConnectionPool(1, 1)
`;
    expect(readFacts(code, 'python').creations.map((c) => c.callee)).toEqual([
      'psycopg2.connect',
      'psycopg.connect',
      'pg8000.native.Connection',
      'sqlalchemy.create_engine',
      'psycopg2.pool.ThreadedConnectionPool',
    ]);
  });

  it('counts a connection stored in a global, directly or from a factory, as once per environment, and claims nothing about an unreached function', () => {
    const code = `import psycopg2
conn = other = None

def _open():
    return psycopg2.connect(host="h")

def lambda_handler(event, context):
    global conn, other
    if conn is None:
        conn = _open()
    if other is None:
        other = psycopg2.connect(host="h")
    local = psycopg2.connect(host="h")

def unused():
    return psycopg2.connect(host="h")
`;
    expect(readFacts(code, 'python').creations.map((c) => `${c.place.line} ${c.scope}`)).toEqual(['5 init', '12 init', '13 invocation', '16 elsewhere']);
  });
});
