/** Session state that pins the client to one database connection behind RDS Proxy. */
import { pinReasons } from '../../facts/rds-proxy.ts';
import type { Rule, RuleHit } from '../rule.ts';

/** SQL that leaves state in the session, with the proxy's reason (src/facts/rds-proxy.ts). SQL text is data, not the handler's code. */
const PINNING_SQL: Array<[RegExp, string]> = [
  [/^\s*SET\s+(?!LOCAL\b)(SESSION\s+)?\w/i, pinReasons.value.set],
  [/^\s*RESET\b/i, pinReasons.value.reset],
  [/set_config\s*\([^)]*,\s*false\s*\)/i, pinReasons.value.setConfig],
  [/^\s*PREPARE\b/i, pinReasons.value.prepare],
  [/^\s*DISCARD\b/i, pinReasons.value.discard],
  [/^\s*LISTEN\b/i, pinReasons.value.listen],
  [/\bCREATE\s+(GLOBAL\s+|LOCAL\s+)?(TEMP|TEMPORARY)\s+(TABLE|VIEW|SEQUENCE)\b/i, pinReasons.value.temporary],
  [/\bpg_(try_)?advisory_lock(_shared)?\s*\(/i, pinReasons.value.advisoryLock],
  [/^\s*DECLARE\s+\w+.*\bCURSOR\b/is, pinReasons.value.cursor],
];

export const rule: Rule = {
  id: 'proxy-pinning',
  severity: 'error',
  title: 'Session state pins the connection behind RDS Proxy',
  why: 'RDS Proxy cannot hand a connection with session state to another client, so it pins it to this one for the session\'s life; pinned sessions fill the proxy\'s pool and new clients wait ConnectionBorrowTimeout, then fail.',
  fix: 'Use `SET LOCAL` (or `set_config(…, true)`) inside a transaction, `pg_advisory_xact_lock`, unnamed statements (no `name` in the pg query config), and role settings (`ALTER ROLE app SET statement_timeout = \'5s\'`) instead of startup `options`.',
  chapter: 'pinning',
  sandbox: 'proxy-pinning',
  check(facts, deployment) {
    if (!deployment.proxy) return [];
    const hits: RuleHit[] = [];
    for (const query of facts.queries) {
      if (query.named) hits.push({ place: query.named, message: `a named prepared statement pins the session (${pinReasons.value.namedStatement.split(' (')[0]})` });
      if (query.sql.kind !== 'string') continue;
      const sql = query.sql.value;
      const reason = PINNING_SQL.find(([pattern]) => pattern.test(sql))?.[1];
      if (reason) hits.push({ place: query.place, message: `${reason} pins the proxy session to its database connection` });
    }
    for (const creation of facts.creations) {
      const options = creation.options.entries.get('options');
      if (options) hits.push({ place: options.place, message: 'startup options pin every session of this connection' });
    }
    return hits;
  },
};
