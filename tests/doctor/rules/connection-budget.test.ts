import { describe, expect, it } from 'vitest';
import { hits } from '../support.ts';

const rule = 'connection-budget';
const code = `import pg from 'pg';\nconst pool = new pg.Pool({ max: 2 });`;

describe(rule, () => {
  it('reports environments × pool size above the budget on the pool line, with the numbers', () => {
    expect(hits(rule, code, 'javascript', { concurrency: 50, maxConnections: 79 })).toEqual(['2: 50 environments × 2 (max: 2) = 100 connections, above the 79 the database allows']);
  });

  it('stays silent within the budget, without the numbers, or behind a proxy', () => {
    expect(hits(rule, code, 'javascript', { concurrency: 30, maxConnections: 79 })).toEqual([]);
    expect(hits(rule, code, 'javascript', { concurrency: 500 })).toEqual([]);
    expect(hits(rule, code, 'javascript', { concurrency: 500, maxConnections: 79, proxy: true })).toEqual([]);
  });

  it('counts one connection per environment for a client opened per invocation', () => {
    const perCall = `import pg from 'pg';\nexport const handler = async () => {\n  const client = new pg.Client();\n};`;
    expect(hits(rule, perCall, 'javascript', { concurrency: 100, maxConnections: 79 })).toEqual(['3: 100 environments × 1 (one connection) = 100 connections, above the 79 the database allows']);
  });
});
