/**
 * What a starter project is generated from, and which combinations make sense. An impossible
 * combination is refused with the reason (the Spring Initializr habit), never quietly adjusted.
 */
import { auths, computes, databases, GenerateOptionsSchema, iacs, isNodeRuntime, languages, languagesFor, patterns, runtimes, type GenerateOptions, type Pattern } from '../vocabulary/choices.ts';

export type { GenerateOptions };

/** Which patterns talk to PostgreSQL over a connection (and so need a VPC, TLS and a pool). */
export const usesConnection = (pattern: Pattern): boolean =>
  pattern === 'module-pool' || pattern === 'rds-proxy' || pattern === 'sqs-batching';

/** Why a combination cannot be generated, or undefined when it can. */
export function whyInvalid(options: GenerateOptions): string[] {
  const reasons: string[] = [];
  if (!languagesFor(options.runtime).includes(options.language)) {
    reasons.push(`language: ${options.runtime} runs ${languagesFor(options.runtime).join(' or ')}, not ${options.language}`);
  }
  if (options.pattern === 'data-api' && options.database === 'rds-postgresql') {
    reasons.push('database: the RDS Data API serves Aurora clusters only (Aurora PostgreSQL provisioned or Serverless v2), not RDS for PostgreSQL');
  }
  if (options.pattern === 'data-api' && options.auth === 'iam') {
    reasons.push('auth: the Data API logs in to the database with a Secrets Manager secret; IAM authorises the API call itself, so choose secrets-manager');
  }
  if (options.pattern === 'dynamodb' && options.auth === 'secrets-manager') {
    reasons.push('auth: DynamoDB has no database password; the function role\'s IAM policy is the only credential, so choose iam');
  }
  if (options.pattern === 'dynamodb' && options.database !== 'rds-postgresql') {
    reasons.push('database: the dynamodb pattern uses no relational database; leave database at its default');
  }
  if (options.pattern === 'aurora-dsql' && options.auth === 'secrets-manager') {
    reasons.push('auth: Aurora DSQL has no database passwords; every connection logs in with an IAM token, so choose iam');
  }
  if (options.pattern === 'aurora-dsql' && options.database !== 'rds-postgresql') {
    reasons.push('database: the aurora-dsql pattern creates its own Aurora DSQL cluster and uses no RDS or Aurora database; leave database at its default');
  }
  if (options.compute === 'managed-instances' && !isNodeRuntime(options.runtime)) {
    reasons.push('compute: on Managed Instances Python runs each concurrent invocation in its own process, each with its own pool of one: the default project is already sized for it, so choose compute default');
  }
  if (options.compute === 'managed-instances' && options.pattern !== 'module-pool' && options.pattern !== 'rds-proxy') {
    reasons.push(`compute: only the module-pool and rds-proxy handlers size a pool per execution environment; ${options.pattern} has nothing Managed Instances change, so choose compute default`);
  }
  return reasons;
}

export type OptionsResult = { ok: true; value: GenerateOptions } | { ok: false; errors: string[] };

export function parseGenerateOptions(input: unknown): OptionsResult {
  const parsed = GenerateOptionsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => issue.message) };
  const errors = whyInvalid(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, value: parsed.data };
}

/** Every combination the generator accepts, in a stable order. */
export function validCombinations(): GenerateOptions[] {
  const all: GenerateOptions[] = [];
  for (const pattern of patterns)
    for (const database of databases)
      for (const runtime of runtimes)
        for (const language of languages)
          for (const auth of auths)
            for (const iac of iacs)
              for (const compute of computes) {
                const options: GenerateOptions = compute === 'default' ? { pattern, runtime, language, auth, iac, database } : { pattern, runtime, language, auth, iac, database, compute };
                if (whyInvalid(options).length === 0) all.push(options);
              }
  return all;
}
