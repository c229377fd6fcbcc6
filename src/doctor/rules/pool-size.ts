/** A pool of more than one connection per environment: an environment runs one invocation at a time. */
import type { Rule } from '../rule.ts';
import { poolSize } from '../pool-size.ts';

export const rule: Rule = {
  id: 'pool-size',
  severity: 'warning',
  title: 'The pool may open more than one connection per execution environment',
  why: 'A Lambda environment serves one invocation at a time, so a second connection is only used by parallel queries in one invocation; every extra one multiplies by the number of environments against max_connections.',
  fix: 'Size the pool to 1: `new pg.Pool({ max: 1 })`; psycopg2 `SimpleConnectionPool(1, 1, …)`; psycopg_pool `ConnectionPool(…, min_size=1, max_size=1)`; SQLAlchemy `create_engine(url, pool_size=1, max_overflow=0)`.',
  chapter: 'pools-per-environment',
  sandbox: 'module-pool',
  check(facts) {
    return facts.creations
      .filter((creation) => creation.shape !== 'client')
      .flatMap((creation) => {
        const size = poolSize(creation);
        return size && size.connections > 1 ? [{ place: creation.place, message: `${creation.callee} may hold ${size.connections} connections per environment (${size.from})` }] : [];
      });
  },
};
