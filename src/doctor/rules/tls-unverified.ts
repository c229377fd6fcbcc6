/** TLS that does not check whom it talks to, or none where IAM authentication needs it. */
import type { Creation } from '../model.ts';
import type { Rule, RuleHit } from '../rule.ts';
import { lookup } from '../tree.ts';

const UNVERIFIED_SSLMODE = /\bsslmode=(disable|allow|prefer|require|no-verify)\b/;

function check(creation: Creation, usesIam: boolean): RuleHit[] {
  const hits: RuleHit[] = [];
  const { options } = creation;
  const dsn = creation.connectionString;
  if (dsn?.value.kind === 'string' && UNVERIFIED_SSLMODE.test(dsn.value.value)) {
    hits.push({ place: dsn.place, message: `${UNVERIFIED_SSLMODE.exec(dsn.value.value)![0]} does not verify the server certificate` });
  }
  if (creation.driver === 'pg') {
    const ssl = options.entries.get('ssl');
    const reject = lookup(options, 'ssl.rejectUnauthorized');
    if (ssl?.value.kind === 'boolean' && ssl.value.value) hits.push({ place: ssl.place, message: "ssl: true checks the certificate against Node's default CAs, which do not include the RDS CA: it fails, and the usual next step turns verification off" });
    if (reject?.value.kind === 'boolean' && !reject.value.value) hits.push({ place: reject.place, message: 'rejectUnauthorized: false accepts any certificate: anyone on the path can read the password and the data' });
    const noTls = !ssl && !options.open && (dsn === undefined || (dsn.value.kind === 'string' && !/\bssl(mode)?=/.test(dsn.value.value)));
    if (usesIam && noTls) hits.push({ place: creation.place, message: 'IAM authentication is allowed only over TLS, and this connection has no ssl setting' });
    return hits;
  }
  const sslmode = options.entries.get('sslmode') ?? lookup(options, 'connect_args.sslmode') ?? lookup(options, 'kwargs.sslmode');
  if (sslmode?.value.kind === 'string' && UNVERIFIED_SSLMODE.test(`sslmode=${sslmode.value.value}`)) {
    hits.push({ place: sslmode.place, message: `sslmode="${sslmode.value.value}" does not verify the server certificate` });
  }
  return hits;
}

export const rule: Rule = {
  id: 'tls-unverified',
  severity: 'warning',
  title: 'TLS without certificate verification',
  why: 'Encryption without verification lets anyone on the network path pose as the database and read the credentials; IAM authentication refuses connections without TLS altogether.',
  fix: "pg: `ssl: { ca: readFileSync('global-bundle.pem', 'utf8'), rejectUnauthorized: true }`; libpq drivers: `sslmode='verify-full', sslrootcert='global-bundle.pem'` (the RDS CA bundle).",
  chapter: 'iam-authentication',
  sandbox: 'proxy-iam',
  check(facts) {
    const usesIam = facts.tokenSignings.length > 0;
    return facts.creations.flatMap((creation) => check(creation, usesIam));
  },
};
