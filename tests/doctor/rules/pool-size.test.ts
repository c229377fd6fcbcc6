import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/doctor/analyze.ts';
import { hits, lines } from '../support.ts';

const rule = 'pool-size';

describe(rule, () => {
  it("reports pg.Pool without max (the driver's 10) and with max above 1", () => {
    expect(hits(rule, `import pg from 'pg';\nconst pool = new pg.Pool();`)).toEqual(["2: pg.Pool may hold 10 connections per environment (pg's default max (10))"]);
    expect(lines(rule, `import pg from 'pg';\nconst pool = new pg.Pool({ max: 5 });`)).toEqual([2]);
  });

  it('reports psycopg2 maxconn, psycopg_pool max_size and SQLAlchemy defaults', () => {
    const code = `from psycopg2 import pool
from psycopg_pool import ConnectionPool
import sqlalchemy
a = pool.SimpleConnectionPool(1, 10, host="h")
b = ConnectionPool("host=h")
c = sqlalchemy.create_engine("postgresql://h/db")
d = sqlalchemy.create_engine("postgresql://h/db", pool_size=1, max_overflow=0)
`;
    expect(hits(rule, code, 'python')).toEqual([
      '4: psycopg2.pool.SimpleConnectionPool may hold 10 connections per environment (maxconn 10)',
      "5: psycopg_pool.ConnectionPool may hold 4 connections per environment (psycopg_pool's default size (4))",
      "6: sqlalchemy.create_engine may hold 15 connections per environment (pool_size 5 + max_overflow 10 (SQLAlchemy's defaults where not set))",
    ]);
  });

  it('says nothing when the size is 1 or not known from the code', () => {
    expect(lines(rule, `import pg from 'pg';\nconst a = new pg.Pool({ max: 1 });\nconst b = new pg.Pool({ max: Number(process.env.POOL_MAX) });\nconst c = new pg.Pool({ ...config });`)).toEqual([]);
  });
});

describe(`${rule}: the one-click fix`, () => {
  const fixed = (code: string) => {
    const edit = analyze(code, 'javascript').findings.find((finding) => finding.rule === rule)?.edit;
    return edit && code.slice(0, edit.from) + edit.insert + code.slice(edit.to);
  };

  it('sets a written max to 1, and the fixed code has no pool-size finding', () => {
    const after = fixed(`import pg from 'pg';\nconst pool = new pg.Pool({ max: 5, idleTimeoutMillis: 60_000 });`);
    expect(after).toBe(`import pg from 'pg';\nconst pool = new pg.Pool({ max: 1, idleTimeoutMillis: 60_000 });`);
    expect(lines(rule, after!)).toEqual([]);
  });

  it("adds max: 1 before the first written setting when max is left to the driver's default", () => {
    expect(fixed(`import pg from 'pg';\nconst pool = new pg.Pool({ idleTimeoutMillis: 60_000 });`)).toBe(`import pg from 'pg';\nconst pool = new pg.Pool({ max: 1, idleTimeoutMillis: 60_000 });`);
  });

  it('offers no edit where the place of the setting is not certain: no options written, a spread, or Python', () => {
    expect(fixed(`import pg from 'pg';\nconst pool = new pg.Pool();`)).toBeUndefined();
    expect(fixed(`import pg from 'pg';\nconst pool = new pg.Pool({ max: 4, ...config });`)).toBeUndefined();
    const python = analyze(`from psycopg_pool import ConnectionPool\np = ConnectionPool("host=h", max_size=4)\n`, 'python').findings.find((finding) => finding.rule === rule);
    expect(python).toBeDefined();
    expect(python!.edit).toBeUndefined();
  });
});
