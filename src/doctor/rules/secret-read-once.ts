/** A Secrets Manager secret fetched once per environment, with nothing that fetches it again after a rotation. */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'secret-read-once',
  severity: 'warning',
  title: 'The database secret is fetched once and never again',
  why: 'After Secrets Manager rotates the password, every new connection the environment opens logs in with the old one and fails with 28P01 (password authentication failed), until Lambda replaces the environment.',
  fix: "Keep the cached secret, and when a login fails with 28P01 fetch it again past the cache and retry once: `if (error.code === '28P01') { await credentials({ refresh: true }); return pool.query(text, values); }`, with pg's `password: async () => (await credentials()).password`. Python: on OperationalError whose sqlstate is 28P01 (or whose text says \"password authentication failed\"), fetch the secret and reconnect.",
  chapter: 'secrets-and-rotation',
  sandbox: 'secret-rotation',
  check(facts) {
    if (facts.handlesRefusedLogin) return [];
    return facts.secretReads
      .filter((read) => read.scope === 'init')
      .map((read) => ({ place: read.place, message: "the secret is fetched once for the environment's life, and nothing fetches it again when a login fails with 28P01" }));
  },
};
