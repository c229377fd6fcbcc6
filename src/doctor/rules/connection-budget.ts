/** The arithmetic: environments × connections per environment against the database's budget. */
import type { Rule } from '../rule.ts';
import { poolSize } from '../pool-size.ts';

export const rule: Rule = {
  id: 'connection-budget',
  severity: 'error',
  title: 'Concurrent environments times connections exceed the database\'s connections',
  why: 'Every execution environment keeps its own connections: at the concurrency given, the function alone asks for more connections than the database allows, and the rest fail with "too many clients".',
  fix: 'Lower the pool to 1 per environment, cap the function with reserved concurrency, put RDS Proxy in front, or choose an instance with more max_connections.',
  chapter: 'pools-per-environment',
  sandbox: 'module-pool',
  check(facts, deployment) {
    const { concurrency, maxConnections } = deployment;
    if (deployment.proxy || concurrency === undefined || maxConnections === undefined) return [];
    return facts.creations.flatMap((creation) => {
      const size = poolSize(creation);
      if (!size) return [];
      const needed = concurrency * size.connections;
      if (needed <= maxConnections) return [];
      return [{ place: creation.place, message: `${concurrency} environments × ${size.connections} (${size.from}) = ${needed} connections, above the ${maxConnections} the database allows` }];
    });
  },
};
