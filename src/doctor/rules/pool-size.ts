/** A pool of more than one connection per environment: an environment runs one invocation at a time. */
import type { Creation } from '../model.ts';
import type { FixEdit, Rule } from '../rule.ts';
import { poolSize } from '../pool-size.ts';

/**
 * pg's `max`, set to 1 in place: the written setting replaced, or put first among the pool's written
 * settings. A pool with no settings written (or with `...config`) gets no edit: where its options go is not certain.
 */
function maxOfOne(creation: Creation): FixEdit | undefined {
  if (creation.driver !== 'pg' || creation.options.open) return undefined;
  const max = creation.options.entries.get('max');
  if (max) return { label: 'Set max: 1', from: max.place.from, to: max.place.to, insert: 'max: 1' };
  const first = creation.options.entries.values().next().value;
  return first ? { label: 'Add max: 1', from: first.place.from, to: first.place.from, insert: 'max: 1, ' } : undefined;
}

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
        if (!size || size.connections <= 1) return [];
        const edit = maxOfOne(creation);
        return [{ place: creation.place, message: `${creation.callee} may hold ${size.connections} connections per environment (${size.from})`, ...(edit ? { edit } : {}) }];
      });
  },
};
