/** pg without a client-side bound on a query's answer. */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'query-timeout',
  severity: 'warning',
  title: 'A query can wait for its answer without limit',
  why: 'A query on a connection whose server vanished (a failover, a connection closed while the environment was frozen) waits until the function times out; a bound lets the handler fail fast and replace the connection.',
  fix: '`query_timeout: 8_000` in the pg config, above the server\'s statement_timeout (set that with ALTER ROLE … SET statement_timeout, which does not pin behind RDS Proxy).',
  chapter: 'pools-per-environment',
  sandbox: 'stale-after-freeze',
  check(facts) {
    return facts.creations
      .filter((creation) => creation.driver === 'pg' && !creation.options.open)
      .filter((creation) => !creation.options.entries.has('query_timeout') && !creation.options.entries.has('statement_timeout'))
      .filter((creation) => creation.connectionString === undefined || (creation.connectionString.value.kind === 'string' && !/statement_timeout|query_timeout/.test(creation.connectionString.value.value)))
      .map((creation) => ({ place: creation.place, message: `${creation.callee} sets neither query_timeout nor statement_timeout` }));
  },
};
