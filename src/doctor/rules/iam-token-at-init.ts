/** An IAM authentication token signed once and kept. */
import { iamToken } from '../../facts/rds-proxy.ts';
import type { Rule } from '../rule.ts';

const minutes = iamToken.lifetime.value / 60_000;

export const rule: Rule = {
  id: 'iam-token-at-init',
  severity: 'error',
  title: 'An IAM authentication token is made once and reused',
  why: `A token is valid for ${minutes} minutes and is checked when a connection opens; an environment lives for hours, so every connection it opens after that fails with "PAM authentication failed".`,
  fix: 'Sign a token for each new connection: pg takes a function, `password: () => signer.getAuthToken()`; Python: call `generate_db_auth_token(...)` in the function that connects.',
  chapter: 'iam-authentication',
  sandbox: 'proxy-iam',
  check(facts) {
    return facts.tokenSignings
      .filter((signing) => signing.scope === 'init')
      .map((signing) => ({ place: signing.place, message: `the IAM token is made once per environment and expires after ${minutes} minutes` }));
  },
};
