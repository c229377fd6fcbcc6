import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'connect-timeout';

describe(rule, () => {
  it('reports pg without connectionTimeoutMillis (or with 0)', () => {
    expect(lines(rule, `import pg from 'pg';\nconst a = new pg.Pool({ max: 1 });\nconst b = new pg.Pool({ connectionTimeoutMillis: 0 });\nconst c = new pg.Pool({ connectionTimeoutMillis: 5000 });`)).toEqual([2, 3]);
  });

  it('reads connect_timeout from keyword arguments, DSNs and connect_args', () => {
    const code = `import psycopg2, pg8000, sqlalchemy
a = psycopg2.connect(host="h")
b = psycopg2.connect("host=h connect_timeout=5")
c = psycopg2.connect(host="h", connect_timeout=5)
d = pg8000.connect(user="u", timeout=5)
e = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 5})
f = sqlalchemy.create_engine("postgresql://h/db")
h = sqlalchemy.create_engine(url_from_settings)
g = psycopg2.connect(**settings)
`;
    // A URL the code does not spell out may carry connect_timeout itself (line 8): no claim.
    expect(lines(rule, code, 'python')).toEqual([2, 7]);
  });
});
