/** A password written into the source. */
import type { Rule, RuleHit } from '../rule.ts';

/** user:password@ in a URL, or password=… in a libpq DSN. */
const PASSWORD_IN_STRING = /:\/\/[^:/@\s]+:[^@\s]+@|\bpassword=\S+/i;

export const rule: Rule = {
  id: 'credentials-in-code',
  severity: 'error',
  title: 'A database password is written in the code',
  why: 'Everyone who can read the code or the deployment package has the password, and rotating it means a new deployment.',
  fix: 'Read the password from Secrets Manager at INIT (and again on 28P01 after a rotation), or sign an IAM token per connection: `password: () => signer.getAuthToken()`.',
  chapter: 'iam-authentication',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const creation of facts.creations) {
      const password = creation.options.entries.get('password');
      if (password?.value.kind === 'string' && password.value.value !== '') hits.push({ place: password.place, message: 'a literal password' });
      const dsn = creation.connectionString;
      if (dsn?.value.kind === 'string' && PASSWORD_IN_STRING.test(dsn.value.value)) hits.push({ place: dsn.place, message: 'a connection string with the password in it' });
      if (dsn?.value.kind === 'built' && PASSWORD_IN_STRING.test(dsn.value.literal)) hits.push({ place: dsn.place, message: 'a connection string with the password in it' });
    }
    return hits;
  },
};
