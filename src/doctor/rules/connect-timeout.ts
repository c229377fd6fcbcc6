/** No bound on opening a connection. */
import type { Creation } from '../model.ts';
import type { Rule } from '../rule.ts';
import { lookup } from '../tree.ts';

/** The setting each driver reads, and where it may sit instead (a DSN, a nested dictionary). */
function bounded(creation: Creation): boolean | undefined {
  const { options } = creation;
  const dsn = creation.connectionString?.value;
  if (dsn?.kind === 'string' && /connect_timeout=|connectionTimeoutMillis=/.test(dsn.value)) return true;
  const setting =
    creation.driver === 'pg'
      ? options.entries.get('connectionTimeoutMillis')
      : creation.driver === 'pg8000'
        ? options.entries.get('timeout')
        : creation.driver === 'sqlalchemy'
          ? lookup(options, 'connect_args.connect_timeout') ?? lookup(options, 'connect_args.timeout')
          : creation.callee === 'psycopg_pool.ConnectionPool'
            ? lookup(options, 'kwargs.connect_timeout')
            : options.entries.get('connect_timeout');
  if (setting) return !(setting.value.kind === 'number' && setting.value.value === 0);
  const nested = creation.driver === 'sqlalchemy' ? options.entries.get('connect_args') : creation.callee === 'psycopg_pool.ConnectionPool' ? options.entries.get('kwargs') : undefined;
  if (options.open || (nested && (nested.value.kind !== 'object' || nested.value.options.open))) return undefined;
  if (dsn && dsn.kind !== 'string') return undefined;
  return false;
}

export const rule: Rule = {
  id: 'connect-timeout',
  severity: 'warning',
  title: 'Opening a connection has no time limit',
  why: 'When the database or the proxy is saturated or unreachable, the handler waits for the connection until the function times out, holding its concurrency and billing the whole wait.',
  fix: 'pg: `connectionTimeoutMillis: 5_000`; psycopg2/psycopg: `connect_timeout=5`; pg8000: `timeout=5`; SQLAlchemy: `connect_args={"connect_timeout": 5}`.',
  chapter: 'pools-per-environment',
  check(facts) {
    return facts.creations
      .filter((creation) => bounded(creation) === false)
      .map((creation) => ({ place: creation.place, message: `${creation.callee} has no connect timeout: a connection attempt can wait until the function times out` }));
  },
};
