import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'tls-unverified';

describe(rule, () => {
  it('reports ssl: true alone, rejectUnauthorized: false and sslmode=require in a URL', () => {
    const code = `import pg from 'pg';
const a = new pg.Pool({ ssl: true });
const b = new pg.Pool({ ssl: { rejectUnauthorized: false } });
const c = new pg.Pool({ connectionString: 'postgres://app@db:5432/app?sslmode=require' });
const d = new pg.Pool({ ssl: { ca, rejectUnauthorized: true } });`;
    expect(lines(rule, code)).toEqual([2, 3, 4]);
  });

  it("reports psycopg's sslmode='require' and accepts verify-full", () => {
    expect(lines(rule, `import psycopg2\na = psycopg2.connect(host="h", sslmode="require")\nb = psycopg2.connect(host="h", sslmode="verify-full")\n`, 'python')).toEqual([2]);
  });

  it('reports a connection with no TLS in a file that signs IAM tokens', () => {
    const code = `import pg from 'pg';
import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({});
export const handler = async () => {
  const client = new pg.Client({ password: () => signer.getAuthToken() });
};`;
    expect(lines(rule, code)).toEqual([5]);
  });
});
