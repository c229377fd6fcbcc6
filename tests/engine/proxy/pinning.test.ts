import { describe, expect, it } from 'vitest';
import { blankLiterals, pinsFor } from '../../../src/engine/proxy/pinning.ts';

const reasons = (sql: string) => pinsFor(sql).map((p) => p.reason);

describe('PostgreSQL pinning rules (fact sheet A4)', () => {
  it.each([
    ["SET search_path = app", 'SET (session parameter)'],
    ["set session statement_timeout to '3s'", 'SET (session parameter)'],
    ['RESET ALL', 'RESET (session parameter)'],
    ["SELECT set_config('app.user', '42', false)", 'set_config(…, false) (session parameter)'],
    ['PREPARE q(int) AS SELECT $1', 'PREPARE (SQL-level prepared statement)'],
    ['EXECUTE q(1)', 'EXECUTE (SQL-level prepared statement)'],
    ['DEALLOCATE ALL', 'DEALLOCATE (SQL-level prepared statement)'],
    ['CREATE TEMP TABLE t (x int)', 'temporary table, view or sequence'],
    ['create temporary sequence s', 'temporary table, view or sequence'],
    ['CREATE OR REPLACE TEMP VIEW v AS SELECT 1', 'temporary table, view or sequence'],
    ['SELECT * INTO TEMP t2 FROM orders', 'temporary table, view or sequence'],
    ['DECLARE c CURSOR FOR SELECT 1', 'DECLARE (cursor)'],
    ['DISCARD ALL', 'DISCARD'],
    ['LISTEN orders', 'LISTEN'],
    ["LOAD 'auto_explain'", 'LOAD (library)'],
    ["SELECT nextval('orders_id_seq')", 'nextval/setval (sequence state)'],
    ["SELECT setval('s', 10)", 'nextval/setval (sequence state)'],
    ['SELECT pg_advisory_lock(1)', 'advisory-lock function'],
    ['SELECT pg_try_advisory_xact_lock(1)', 'advisory-lock function'],
    ['SELECT pg_advisory_unlock_all()', 'advisory-lock function'],
  ])('%s pins: %s', (sql, reason) => {
    expect(reasons(sql)).toEqual([reason]);
  });

  it.each([
    "SET LOCAL statement_timeout = '3s'",
    'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY',
    "SELECT set_config('app.user', '42', true)",
    "SELECT 'SET x = 1', 'nextval(' AS text -- SET y = 2",
    '/* LISTEN x */ SELECT 1',
    'SELECT $$ DISCARD ALL $$',
    'SELECT "nextval"(1) FROM orders',
    'PREPARE TRANSACTION \'t1\'',
    'SELECT id FROM orders WHERE id = $1',
    'BEGIN; SELECT 1; COMMIT',
  ])('%s does not pin', (sql) => {
    expect(reasons(sql)).toEqual([]);
  });

  it('reports every pinning statement of a multi-statement query with its own text', () => {
    expect(pinsFor("SELECT 1; SET a.b = 'x;y'; LISTEN z").map((p) => [p.reason, p.statement])).toEqual([
      ['SET (session parameter)', "SET a.b = 'x;y'"],
      ['LISTEN', 'LISTEN z'],
    ]);
  });

  it('pins statements over 16 KB (16,384 bytes of UTF-8), not at 16 KB', () => {
    const of = (bytes: number) => `SELECT '${'x'.repeat(bytes - 9)}'`;
    expect(new TextEncoder().encode(of(16_384)).length).toBe(16_384);
    expect(reasons(of(16_384))).toEqual([]);
    expect(reasons(of(16_385))).toEqual(['statement text over 16 KB']);
    // Counted in bytes, not characters: 8,200 two-byte characters are over the limit.
    expect(reasons(`SELECT '${'é'.repeat(8_200)}'`)).toEqual(['statement text over 16 KB']);
  });

  it('blanks literals and comments without moving the statement boundaries', () => {
    const sql = "SELECT 'a;b' -- c;d\n; SELECT 1";
    expect(blankLiterals(sql).length).toBe(sql.length);
    expect(blankLiterals(sql).indexOf(';')).toBe(sql.lastIndexOf(';'));
  });
});
