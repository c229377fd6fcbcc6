/**
 * A module-level pool that nothing closes at shutdown, in a file that expects a shutdown: it handles
 * SIGTERM, or registers an extension (without one Lambda sends no SIGTERM, so the code alone cannot
 * say whether a listener would ever run, and a file with neither is not reported).
 */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'pool-not-closed-on-shutdown',
  severity: 'info',
  title: 'A module-level pool is not closed when the environment shuts down',
  why: 'When Lambda reclaims an environment nothing closes its connections: the server keeps each one until its own timeouts notice, counted against max_connections. Lambda sends the runtime SIGTERM first only when the function registers an extension, and then a handler can close the pool.',
  fix: "process.on('SIGTERM', async () => { await pool.end(); }); with an extension registered (without one the signal never comes). Python: signal.signal(signal.SIGTERM, lambda *_: pool.closeall()) (SQLAlchemy: engine.dispose()).",
  chapter: 'timeouts-and-shutdown',
  sandbox: 'graceful-shutdown',
  check(facts) {
    if (facts.shutdownHandlers.length === 0 && !facts.registersExtension) return [];
    const why = facts.shutdownHandlers.length ? `the SIGTERM handler (line ${facts.shutdownHandlers[0]!.line}) does not close it` : 'the file registers an extension, but no SIGTERM handler closes it';
    return facts.creations
      .filter((creation) => creation.shape !== 'client' && creation.scope === 'init' && creation.binding && !facts.closedOnShutdown.has(creation.binding))
      .map((creation) => ({ place: creation.place, message: `${creation.binding} (${creation.callee}) stays open when the environment is reclaimed: ${why}` }));
  },
};
