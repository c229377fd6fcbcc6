import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'missing-error-listener';

describe(rule, () => {
  it('reports a module-level pool and client without a listener', () => {
    expect(lines(rule, `import pg from 'pg';\nconst pool = new pg.Pool({ max: 1 });\nconst client = new pg.Client();\nclient.on('end', () => {});`)).toEqual([2, 3]);
  });

  it('does not report a pool with pool.on("error") or a client made per invocation', () => {
    expect(lines(rule, `import pg from 'pg';\nconst pool = new pg.Pool({ max: 1 });\npool.on("error", (e) => console.warn(e));`)).toEqual([]);
    expect(lines(rule, `import pg from 'pg';\nexport const handler = async () => {\n  const client = new pg.Client();\n};`)).toEqual([]);
  });

  it('reports a pool cached on first use in the handler', () => {
    expect(lines(rule, `import pg from 'pg';\nlet pool;\nexport const handler = async () => {\n  if (!pool) pool = new pg.Pool({ max: 1 });\n};`)).toEqual([4]);
  });
});
