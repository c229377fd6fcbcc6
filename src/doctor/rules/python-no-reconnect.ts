/** A Python connection kept across invocations with no way back when it breaks. */
import type { Rule } from '../rule.ts';

const RECOVERS = /(^|\.)(OperationalError|InterfaceError)$/;

export const rule: Rule = {
  id: 'python-no-reconnect',
  severity: 'error',
  title: 'A module-level connection is never reopened after it breaks',
  why: 'A connection kept across invocations is closed by the server, the proxy or a failover sooner or later; without catching OperationalError/InterfaceError and reconnecting, every later invocation in that environment fails with "connection already closed".',
  fix: 'Wrap the work: `except (psycopg2.OperationalError, psycopg2.InterfaceError): conn = connect(); retry once`, and reopen when `conn.closed` (psycopg 3: `conn.broken`).',
  chapter: 'pools-per-environment',
  sandbox: 'stale-after-freeze',
  check(facts) {
    if (facts.language !== 'python' || facts.caught.some((name) => RECOVERS.test(name))) return [];
    return facts.creations
      .filter((creation) => creation.shape === 'client' && creation.scope === 'init')
      .map((creation) => ({ place: creation.place, message: `${creation.callee} is kept for the environment's life, and nothing catches OperationalError or InterfaceError to reopen it` }));
  },
};
