/** A password read from an environment variable: out of the code, but fixed at deployment. */
import type { Rule } from '../rule.ts';

export const rule: Rule = {
  id: 'password-from-env',
  severity: 'info',
  title: 'The password comes from an environment variable',
  why: 'Lambda environment variables are readable by anyone who can view the function\'s configuration, and they keep the old password after a rotation until the next deployment.',
  fix: 'Read it from Secrets Manager (once at INIT, again when a login fails with 28P01), or use IAM authentication.',
  chapter: 'iam-authentication',
  check(facts) {
    return facts.creations.flatMap((creation) => {
      const password = creation.options.entries.get('password');
      return password?.value.kind === 'env' ? [{ place: password.place, message: `the password is read from ${password.value.name ?? 'an environment variable'}` }] : [];
    });
  },
};
