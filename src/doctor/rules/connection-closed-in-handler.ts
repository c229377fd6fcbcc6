/** The module-level pool or connection is closed inside the handler: the next invocation finds it gone. */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'connection-closed-in-handler',
  severity: 'error',
  title: 'The module-level pool or connection is closed by the handler',
  why: 'The environment is reused: the next invocation gets a pool that was ended ("Cannot use a pool after calling end on the pool") or a closed connection ("connection already closed"), and nothing was saved by creating it once.',
  fix: 'Do not end the shared pool in the handler: release the client instead (`client.release()`), and let the pool close idle connections itself (`idleTimeoutMillis`).',
  chapter: 'pools-per-environment',
  sandbox: 'module-pool',
  check(facts) {
    const shared = new Set(facts.creations.filter((c) => c.scope === 'init' && c.binding).map((c) => c.binding!));
    const perCall = new Set(facts.creations.filter((c) => c.scope === 'invocation' && c.binding).map((c) => c.binding!));
    return facts.closings
      .filter((closing) => closing.scope === 'invocation' && shared.has(closing.binding) && !perCall.has(closing.binding))
      .map((closing) => ({ place: closing.place, message: `${closing.binding} is created once per environment but closed on every invocation` }));
  },
};
