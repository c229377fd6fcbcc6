import { describe, expect, it } from 'vitest';
import { hits, lines } from '../support.ts';

const rule = 'pool-not-closed-on-shutdown';

const pool = `import pg from 'pg';\nconst pool = new pg.Pool({ max: 1 });\nexport const handler = async () => pool.query('SELECT 1');\n`;

describe(rule, () => {
  it('reports a module-level pool a SIGTERM handler leaves open', () => {
    expect(hits(rule, `${pool}process.on('SIGTERM', () => process.exit(0));`)).toEqual(['2: pool (pg.Pool) stays open when the environment is reclaimed: the SIGTERM handler (line 4) does not close it']);
    const python = `import signal\nfrom psycopg2 import pool\nPOOL = pool.SimpleConnectionPool(1, 1, dsn="")\n\ndef _bye(signum, frame):\n    print("bye")\n\nsignal.signal(signal.SIGTERM, _bye)\n`;
    expect(lines(rule, python, 'python')).toEqual([3]);
  });

  it('reports one in a file that registers an extension and handles no SIGTERM', () => {
    const code = `${pool}await fetch(\`http://\${process.env.AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension/register\`, { method: 'POST' });`;
    expect(hits(rule, code)).toEqual(['2: pool (pg.Pool) stays open when the environment is reclaimed: the file registers an extension, but no SIGTERM handler closes it']);
  });

  it('accepts a SIGTERM handler that ends the pool, directly or through a function it calls', () => {
    expect(lines(rule, `${pool}process.on('SIGTERM', async () => { await pool.end(); });`)).toEqual([]);
    expect(lines(rule, `${pool}async function shutdown() { await pool.end(); }\nprocess.once('SIGTERM', () => shutdown());`)).toEqual([]);
    const python = `import signal\nfrom sqlalchemy import create_engine\nengine = create_engine("postgresql://h/db")\n\ndef _bye(signum, frame):\n    engine.dispose()\n\nsignal.signal(signal.SIGTERM, _bye)\n`;
    expect(lines(rule, python, 'python')).toEqual([]);
  });

  it('says nothing of a file that shows no shutdown at all: without an extension Lambda sends no SIGTERM', () => {
    expect(lines(rule, pool)).toEqual([]);
  });
});
