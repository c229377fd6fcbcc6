import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'query-timeout';

describe(rule, () => {
  it('reports pg without query_timeout or statement_timeout', () => {
    expect(lines(rule, `import pg from 'pg';\nconst a = new pg.Pool({ max: 1 });\nconst b = new pg.Pool({ query_timeout: 8000 });\nconst c = new pg.Client({ statement_timeout: 3000 });`)).toEqual([2]);
  });

  it('claims nothing about a config it cannot see', () => {
    expect(lines(rule, `import pg from 'pg';\nconst a = new pg.Pool(loadConfig());\nconst b = new pg.Pool({ ...shared });`)).toEqual([]);
  });
});
