/**
 * The choices the wizard, the starter-code generator, `connlab generate` and the wizard's share links
 * have in common: each list once, with the reader's word for each value and the zod schema that
 * refuses anything else. The wizard and the templates both read this module, never each other.
 */
import { z } from '../lib/zod.ts';
import { engineInstanceClasses, type EngineOffer } from '../facts/engine-instance-classes.ts';
import { findInstanceClass } from '../facts/postgres.ts';

export interface Option<V extends string = string> {
  readonly value: V;
  readonly label: string;
}

type ValuesOf<T extends readonly Option[]> = { [K in keyof T]: T[K] extends Option<infer V> ? V : never };

/** The values of a table of options, as the tuple zod's enum takes. */
const valuesOf = <const T extends readonly [Option, ...Option[]]>(options: T): ValuesOf<T> => options.map((option) => option.value) as ValuesOf<T>;

export const databaseOptions = [
  { value: 'rds-postgresql', label: 'RDS for PostgreSQL' },
  { value: 'aurora-postgresql', label: 'Aurora PostgreSQL (provisioned)' },
  { value: 'aurora-serverless-v2', label: 'Aurora PostgreSQL Serverless v2' },
] as const;
export const databases = valuesOf(databaseOptions);
export type Database = (typeof databases)[number];

/** What each engine offers; a class it does not offer is refused with the reason. */
export const engineOffer = (database: Database): EngineOffer => engineInstanceClasses[database].value;

export type InstanceClass = (typeof engineInstanceClasses)[Database]['value']['classes'][number];

/** Every class some engine offers, in the engines' order: the wizard lists no class that no engine has. */
export const instanceClasses = [...new Set(databases.flatMap((database) => engineOffer(database).classes))] as [InstanceClass, ...InstanceClass[]];

/** Labelled with the nominal memory of postgres.ts's table, which also gives max_connections. */
export const instanceClassOptions: readonly Option<InstanceClass>[] = instanceClasses.map((value) => {
  const instance = findInstanceClass(value);
  return { value, label: instance ? `${value} (${instance.memoryGiB} GiB)` : `${value} (Aurora Serverless v2)` };
});

export const runtimeOptions = [
  { value: 'nodejs22.x', label: 'Node.js 22' },
  { value: 'nodejs24.x', label: 'Node.js 24' },
  { value: 'python3.12', label: 'Python 3.12' },
  { value: 'python3.13', label: 'Python 3.13' },
] as const;
export const runtimes = valuesOf(runtimeOptions);
export type Runtime = (typeof runtimes)[number];

export const languageOptions = [
  { value: 'typescript', label: 'TypeScript' },
  { value: 'javascript', label: 'JavaScript' },
  { value: 'python', label: 'Python' },
] as const;
export const languages = valuesOf(languageOptions);
export type Language = (typeof languages)[number];

export const isNodeRuntime = (runtime: Runtime): boolean => runtime.startsWith('nodejs');

/** Languages each runtime can run; the generator and the wizard's schema both read this. */
export const languagesFor = (runtime: Runtime): readonly Language[] => (isNodeRuntime(runtime) ? ['typescript', 'javascript'] : ['python']);

export const authOptions = [
  { value: 'iam', label: 'IAM database authentication (a token per connection)' },
  { value: 'secrets-manager', label: 'Secrets Manager (user name and password)' },
] as const;
export const auths = valuesOf(authOptions);
export type Auth = (typeof auths)[number];

export const iacOptions = [
  { value: 'sam', label: 'AWS SAM' },
  { value: 'cdk', label: 'AWS CDK (TypeScript)' },
  { value: 'terraform', label: 'Terraform' },
  { value: 'aws-cli', label: 'AWS CLI script' },
] as const;
export const iacs = valuesOf(iacOptions);
export type Iac = (typeof iacs)[number];

export const patterns = ['module-pool', 'rds-proxy', 'data-api', 'dynamodb', 'sqs-batching', 'aurora-dsql'] as const;
export type Pattern = (typeof patterns)[number];

/** Where the function runs: Lambda's default compute, or Lambda Managed Instances (several invocations at once per environment). */
export const computes = ['default', 'managed-instances'] as const;
export type Compute = (typeof computes)[number];

/**
 * A zod enum whose refusal names the field, what it accepts and what it got, because a share link or
 * a command line is typed by people and edited by hand.
 */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (issue) => `${what}: expected one of ${values.join(', ')}; got ${JSON.stringify(issue.input)}` });

/** One schema per shared choice, so the wizard's answers and the generator's options refuse a value in the same words. */
export const choiceSchemas = {
  pattern: choice(patterns, 'pattern'),
  database: choice(databases, 'database'),
  instanceClass: choice(instanceClasses, 'instanceClass'),
  runtime: choice(runtimes, 'runtime'),
  language: choice(languages, 'language'),
  auth: choice(auths, 'auth'),
  iac: choice(iacs, 'iac'),
  compute: choice(computes, 'compute'),
};

/** The choices a starter project is generated from (the wizard's recommendation, the CLI's flags). */
export const GenerateOptionsSchema = z
  .object({
    pattern: choiceSchemas.pattern,
    runtime: choiceSchemas.runtime,
    language: choiceSchemas.language,
    auth: choiceSchemas.auth,
    iac: choiceSchemas.iac,
    database: choiceSchemas.database.default('rds-postgresql'),
    /** Absent on the default compute, so the options of every project before Managed Instances stand as they were. */
    compute: choiceSchemas.compute.optional(),
  })
  .strict();
export type GenerateOptions = z.infer<typeof GenerateOptionsSchema>;
