import { describe, expect, it } from 'vitest';
import { hits, lines } from '../support.ts';

const rule = 'credentials-in-code';

describe(rule, () => {
  it('reports a literal password and a URL or DSN that carries one', () => {
    const code = `import pg from 'pg';
const a = new pg.Pool({ password: 'hunter2' });
const b = new pg.Pool({ connectionString: 'postgres://app:hunter2@db:5432/app' });
const c = new pg.Pool({ password: process.env.DB_PASSWORD });`;
    expect(hits(rule, code)).toEqual(['2: a literal password', '3: a connection string with the password in it']);
    expect(lines(rule, `import psycopg2\nconn = psycopg2.connect("host=db user=app password=hunter2")\n`, 'python')).toEqual([2]);
  });

  it('does not report a URL without a password or a password function', () => {
    expect(lines(rule, `import pg from 'pg';\nconst a = new pg.Pool({ connectionString: 'postgres://app@db/app', password: () => token() });`)).toEqual([]);
  });
});
