import { describe, expect, it } from 'vitest';
import { hits } from '../support.ts';

const rule = 'password-from-env';

describe(rule, () => {
  it('reports process.env, os.environ[...] and os.environ.get as information', () => {
    expect(hits(rule, `import pg from 'pg';\nconst a = new pg.Pool({ password: process.env.DB_PASSWORD });`)).toEqual(['2: the password is read from DB_PASSWORD']);
    const python = `import os, psycopg2\na = psycopg2.connect(password=os.environ["DB_PASSWORD"])\nb = psycopg2.connect(password=os.environ.get("PGPASS"))\n`;
    expect(hits(rule, python, 'python')).toEqual(['2: the password is read from DB_PASSWORD', '3: the password is read from PGPASS']);
  });

  it('says nothing when pg reads PGPASSWORD itself or the password is a function', () => {
    expect(hits(rule, `import pg from 'pg';\nconst a = new pg.Pool({ max: 1 });\nconst b = new pg.Pool({ password: () => secret });`)).toEqual([]);
  });
});
