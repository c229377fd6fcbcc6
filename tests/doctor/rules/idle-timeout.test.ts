import { describe, expect, it } from 'vitest';
import { hits } from '../support.ts';

const rule = 'idle-timeout';

describe(rule, () => {
  it('reports idleTimeoutMillis: 0, and one at or above the proxy\'s IdleClientTimeout behind a proxy', () => {
    expect(hits(rule, `import pg from 'pg';\nconst pool = new pg.Pool({\n  idleTimeoutMillis: 0,\n});`)).toEqual(['3: idleTimeoutMillis: 0 never closes an idle connection']);
    const long = `import pg from 'pg';\nconst pool = new pg.Pool({ idleTimeoutMillis: 3_600_000 });`;
    expect(hits(rule, long)).toEqual([]);
    expect(hits(rule, long, 'javascript', { proxy: true })).toHaveLength(1);
  });

  it("leaves pg's default (10 s) and a short timeout alone", () => {
    expect(hits(rule, `import pg from 'pg';\nconst a = new pg.Pool();\nconst b = new pg.Pool({ idleTimeoutMillis: 60_000 });`, 'javascript', { proxy: true })).toEqual([]);
  });
});
