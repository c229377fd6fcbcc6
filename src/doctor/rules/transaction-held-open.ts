/** A transaction kept open while the handler waits for something other than the database. */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'transaction-held-open',
  severity: 'warning',
  title: 'A transaction stays open while the handler waits for something else',
  why: 'Until COMMIT the transaction holds its database connection (RDS Proxy cannot lend it to anyone else) and its row locks, for as long as the other call takes; under load the proxy\'s pool empties and new clients time out waiting for a connection.',
  fix: 'Make the slow call before BEGIN or after COMMIT, and keep the transaction to the statements that must be atomic.',
  chapter: 'rds-proxy',
  sandbox: 'proxy-borrow-timeout',
  check(facts) {
    return facts.transactionWaits.map((place) => ({ place, message: 'an await on something other than the database inside an open transaction' }));
  },
};
