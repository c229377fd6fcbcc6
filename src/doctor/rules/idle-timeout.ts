/** A pg pool that never closes idle connections, or keeps them longer than the proxy does. */
import { proxySettings } from '../../facts/rds-proxy.ts';
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'idle-timeout',
  severity: 'warning',
  title: "The pool keeps idle connections longer than the server's or the proxy's limit",
  why: 'A connection the server or the proxy closed while the pool still holds it fails the next query that takes it; the pool should close it first.',
  fix: `Close idle connections before the other side does: \`idleTimeoutMillis: 60_000\` (RDS Proxy's IdleClientTimeout is ${proxySettings.idleClientTimeout.value / 1000} s by default).`,
  chapter: 'pools-per-environment',
  sandbox: 'zombie-connections',
  check(facts, deployment) {
    const limit = proxySettings.idleClientTimeout.value;
    return facts.creations
      .filter((creation) => creation.driver === 'pg' && creation.shape === 'pool')
      .flatMap((creation) => {
        const idle = creation.options.entries.get('idleTimeoutMillis');
        if (idle?.value.kind !== 'number') return [];
        if (idle.value.value === 0) return [{ place: idle.place, message: 'idleTimeoutMillis: 0 never closes an idle connection' }];
        if (deployment.proxy && idle.value.value >= limit) {
          return [{ place: idle.place, message: `idleTimeoutMillis ${idle.value.value} is not below RDS Proxy's IdleClientTimeout (${limit} ms by default)` }];
        }
        return [];
      });
  },
};
