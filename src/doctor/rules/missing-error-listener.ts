/** A module-level pg Pool or Client without an 'error' listener. */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'missing-error-listener',
  severity: 'error',
  title: "A module-level pg Pool or Client has no 'error' listener",
  why: 'While the environment is frozen the server or the proxy may close an idle connection; pg reports it as an error event when the environment thaws, and without a listener the error is uncaught and the runtime exits.',
  fix: "pool.on('error', (error) => console.warn('idle connection closed:', error.message));",
  chapter: 'pools-per-environment',
  sandbox: 'stale-after-freeze',
  check(facts) {
    return facts.creations
      .filter((creation) => creation.driver === 'pg' && creation.scope === 'init' && creation.binding && !facts.errorListeners.has(creation.binding))
      .map((creation) => ({ place: creation.place, message: `${creation.binding} (${creation.callee}) lives across invocations but has no 'error' listener` }));
  },
};
