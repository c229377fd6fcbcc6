/** A connection, pool or engine created on every invocation (unless a proxy takes the connections). */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'per-invocation-connection',
  severity: 'error',
  title: 'A database connection is opened on every invocation',
  why: 'Each invocation pays a TCP, TLS and authentication handshake, and a spike opens one connection per concurrent invocation at once, straight into max_connections ("sorry, too many clients already").',
  fix: 'Create the pool once, at module level, and reuse it: `const pool = new pg.Pool({ max: 1, idleTimeoutMillis: 60_000 })` outside the handler (Python: a module-level connection reopened when it is closed).',
  chapter: 'the-problem',
  sandbox: 'direct-connection',
  check(facts, deployment) {
    // Behind RDS Proxy a new client connection is cheap for the database: the proxy multiplexes it.
    if (deployment.proxy) return [];
    return facts.creations
      .filter((creation) => creation.scope === 'invocation')
      .map((creation) => ({ place: creation.place, message: `${creation.callee} is created on every invocation: one new database connection per call` }));
  },
};
