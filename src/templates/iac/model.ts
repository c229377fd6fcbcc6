/**
 * What every infrastructure flavour must create for a pattern, said once: the inputs it asks
 * for, the IAM statements with their exact resource ARNs, the function's environment. SAM, CDK,
 * Terraform and the CLI script each render this model in their own syntax, so the four cannot
 * drift apart on what the function may touch.
 */
import { isNodeRuntime, type GenerateOptions } from '../../vocabulary/choices.ts';
import { usesConnection } from '../options.ts';
import { dsqlAccess } from '../../facts/aurora-dsql.ts';
import { managedInstances } from '../../facts/lambda.ts';
import { functionSettings } from '../../facts/starter-code.ts';

export interface Plan {
  vpc: boolean;
  proxy: boolean;
  queue: boolean;
  table: boolean;
  dataApi: boolean;
  /** An Aurora DSQL cluster, created by the stack: no VPC, IAM tokens only. */
  dsql: boolean;
  /** IAM database authentication (the function signs a token per connection). */
  iamDb: boolean;
  /** A Secrets Manager secret is involved: read by the function, the proxy or the Data API. */
  secret: boolean;
  /** The function itself reads the secret. */
  functionReadsSecret: boolean;
  aurora: boolean;
}

export function plan(options: GenerateOptions): Plan {
  const vpc = usesConnection(options.pattern);
  const proxy = options.pattern === 'rds-proxy';
  const dataApi = options.pattern === 'data-api';
  const iamDb = vpc && options.auth === 'iam';
  const functionReadsSecret = (vpc && options.auth === 'secrets-manager') || dataApi;
  return {
    vpc,
    proxy,
    queue: options.pattern === 'sqs-batching',
    table: options.pattern === 'dynamodb',
    dataApi,
    dsql: options.pattern === 'aurora-dsql',
    iamDb,
    secret: functionReadsSecret || proxy,
    functionReadsSecret,
    aurora: options.database !== 'rds-postgresql',
  };
}

/** Placeholders each renderer substitutes in its own syntax. */
export type ArnPart = 'partition' | 'region' | 'account' | 'dbResourceId' | 'dbUser' | 'proxyResourceId' | 'secretArn' | 'clusterId' | 'queueArn' | 'tableArn' | 'dsqlClusterId';

export interface Statement {
  sid: string;
  actions: string[];
  /** ARN templates with `{part}` placeholders, never a wildcard. */
  resources: string[];
}

export function statements(options: GenerateOptions): Statement[] {
  const p = plan(options);
  const list: Statement[] = [];
  if (p.iamDb) {
    // rds-db:connect names a database user on one resource id: the proxy's prx-… id behind a proxy,
    // otherwise the instance's db-… (DbiResourceId) or the cluster's cluster-… id. Prefix rds-db, not rds.
    const resourceId = p.proxy ? '{proxyResourceId}' : '{dbResourceId}';
    list.push({ sid: 'ConnectAsDatabaseUser', actions: ['rds-db:connect'], resources: [`arn:{partition}:rds-db:{region}:{account}:dbuser:${resourceId}/{dbUser}`] });
  }
  if (p.functionReadsSecret) list.push({ sid: 'ReadDatabaseSecret', actions: ['secretsmanager:GetSecretValue'], resources: ['{secretArn}'] });
  if (p.dataApi) {
    list.push({
      sid: 'UseDataApi',
      actions: ['rds-data:BeginTransaction', 'rds-data:CommitTransaction', 'rds-data:ExecuteStatement', 'rds-data:RollbackTransaction'],
      resources: ['arn:{partition}:rds:{region}:{account}:cluster:{clusterId}'],
    });
  }
  if (p.dsql) {
    // A custom database role connects with dsql:DbConnect; dsql:DbConnectAdmin would let the function log in
    // as admin, which owns every table (the README says why the project does not use it).
    list.push({ sid: 'ConnectAsCustomDatabaseRole', actions: [dsqlAccess.customRoleAction.value], resources: [dsqlAccess.clusterArn.value] });
  }
  if (p.table) list.push({ sid: 'WriteAndQueryOrders', actions: ['dynamodb:PutItem', 'dynamodb:Query'], resources: ['{tableArn}'] });
  if (p.queue) list.push({ sid: 'ConsumeOrderQueue', actions: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resources: ['{queueArn}'] });
  return list;
}

export function renderArn(template: string, parts: Partial<Record<ArnPart, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: ArnPart) => {
    const value = parts[name];
    if (value === undefined) throw new Error(`no value for {${name}}`);
    return value;
  });
}

/** The inputs a deployment needs, described once for every flavour. */
export interface Input {
  /** camelCase id; each renderer derives its own spelling. */
  id: 'vpcId' | 'subnetIds' | 'databaseSecurityGroupId' | 'dbHost' | 'dbName' | 'dbUser' | 'dbResourceId' | 'dbSecretArn' | 'dbInstanceIdentifier' | 'dbClusterIdentifier' | 'dbPoolShare' | 'maxExecutionEnvironments';
  description: string;
  list?: boolean;
  default?: string;
  /** A regular expression the value must match, when the service fixes its shape. */
  pattern?: string;
}

export function inputs(options: GenerateOptions): Input[] {
  const p = plan(options);
  const list: Input[] = [];
  if (p.vpc) {
    list.push({ id: 'vpcId', description: 'The VPC of the database.', pattern: '^vpc-[0-9a-f]+$' });
    list.push({ id: 'subnetIds', description: 'Private subnets for the function' + (p.proxy ? ' and the proxy' : '') + ' (at least two Availability Zones).', list: true });
    list.push({ id: 'databaseSecurityGroupId', description: 'The security group attached to the database; the stack adds an ingress rule on 5432.', pattern: '^sg-[0-9a-f]+$' });
    if (!p.proxy) list.push({ id: 'dbHost', description: p.aurora ? 'The cluster (writer) endpoint.' : 'The DB instance endpoint.' });
  }
  if (p.vpc || p.dataApi) {
    list.push({ id: 'dbName', description: 'The database name.', default: 'postgres' });
  }
  if (p.vpc) {
    const dbUser =
      p.iamDb && !p.proxy
        ? 'The database user, a member of rds_iam (see schema.sql).'
        : p.iamDb
          ? "The database user: the one in the proxy's secret, with a password and without rds_iam (see schema.sql)."
          : 'The database user (the same as in the secret).';
    list.push({ id: 'dbUser', description: dbUser, default: 'lambda_app' });
  }
  if (p.iamDb && !p.proxy) {
    list.push(
      p.aurora
        ? { id: 'dbResourceId', description: 'The cluster resource id (aws rds describe-db-clusters --query "DBClusters[0].DbClusterResourceId").', pattern: '^cluster-[A-Z0-9]+$' }
        : { id: 'dbResourceId', description: 'The instance resource id (aws rds describe-db-instances --query "DBInstances[0].DbiResourceId").', pattern: '^db-[A-Z0-9]+$' },
    );
  }
  if (p.secret) {
    list.push({
      id: 'dbSecretArn',
      description: p.proxy ? 'The Secrets Manager secret (username, password) the proxy logs in to the database with.' : 'The Secrets Manager secret holding the database username and password.',
      pattern: '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$',
    });
  }
  if (options.compute === 'managed-instances') {
    list.push({
      id: 'dbPoolShare',
      description: "Connections one execution environment's pool may hold on Managed Instances: the function's connection budget over the most execution environments its capacity provider runs (the wizard's recommendation computes it).",
      pattern: '^[1-9][0-9]*$',
    });
    list.push({
      id: 'maxExecutionEnvironments',
      description: `The most execution environments the function may run (FunctionScalingConfig.MaxExecutionEnvironments, 1 to ${managedInstances.maxExecutionEnvironmentsLimit.value.toLocaleString('en-US')}): each holds up to its pool's connections, so this × the pool size must stay within the function's connection budget (the wizard's recommendation computes it).`,
      pattern: '^[1-9][0-9]*$',
    });
  }
  if (p.proxy && !p.aurora) list.push({ id: 'dbInstanceIdentifier', description: 'The DB instance the proxy serves.' });
  if ((p.proxy && p.aurora) || p.dataApi) list.push({ id: 'dbClusterIdentifier', description: p.dataApi ? 'The Aurora cluster, with the Data API (HTTP endpoint) enabled.' : 'The Aurora cluster the proxy serves.' });
  return list;
}

/**
 * On Managed Instances the function runs on EC2 instances that a capacity provider launches into the
 * function's subnets with the function's security group, through an operator role Lambda assumes.
 * The function itself then has no VpcConfig (the network is the capacity provider's) and creates no
 * network interfaces, so its execution role needs only the logs policy.
 */
export const onManagedInstances = (options: GenerateOptions): boolean => options.compute === 'managed-instances';

/** The answers an infrastructure file depends on: compute too when it declares a capacity provider. */
export const iacKeys = (options: GenerateOptions) => ['pattern', 'runtime', 'language', 'auth', 'iac', 'database', ...(onManagedInstances(options) ? (['compute'] as const) : [])] as const;

/** The smallest Managed Instances function: one vCPU at the lowest memory-per-vCPU ratio. */
export const managedInstancesFunction = {
  memoryGiBPerVcpu: managedInstances.minimumMemoryGiBPerVcpu.value,
  memoryMb: managedInstances.minimumVcpus.value * managedInstances.minimumMemoryGiBPerVcpu.value * 1024,
  /** FunctionScalingConfig's minimum; its maximum is the maxExecutionEnvironments input, which bounds the connections. */
  minExecutionEnvironments: managedInstances.generatedMinExecutionEnvironments.value,
  /** The version FunctionScalingConfig applies to: the one unqualified invocations run. */
  qualifier: '$LATEST.PUBLISHED',
};

export const functionMemoryMb = (options: GenerateOptions): number => (onManagedInstances(options) ? managedInstancesFunction.memoryMb : functionSettings.memory.value);

/** The AWS managed policy for the function role's logs (and, on default compute in a VPC, its network interfaces). */
export const executionRolePolicy = (options: GenerateOptions): string =>
  plan(options).vpc && !onManagedInstances(options) ? 'service-role/AWSLambdaVPCAccessExecutionRole' : 'service-role/AWSLambdaBasicExecutionRole';

/** The managed policy name the capacity provider's operator role needs, as the path after `iam::aws:policy/`. */
export const operatorRolePolicy = managedInstances.operatorRolePolicy.value;

export const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);
export const snake = (id: string) => id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const shout = (id: string) => snake(id).toUpperCase();

/** Where the deployed code lives and how Lambda finds the handler. */
export function codeLayout(options: GenerateOptions): { codeDir: string; handler: string } {
  if (!isNodeRuntime(options.runtime)) return { codeDir: 'app', handler: 'handler.handler' };
  return { codeDir: '.', handler: options.language === 'typescript' ? 'dist/handler.handler' : 'src/handler.handler' };
}

export type EnvValue = { input: Input['id'] } | { literal: string } | { ref: 'proxyEndpoint' | 'tableName' | 'clusterArn' | 'dsqlEndpoint' };

/** The database role the Aurora DSQL project's schema.sql creates and its handler logs in as. */
export const DSQL_ROLE = 'lambda_app';

export function environment(options: GenerateOptions): Array<[string, EnvValue]> {
  const p = plan(options);
  const env: Array<[string, EnvValue]> = [];
  if (p.vpc) {
    env.push(['DB_HOST', p.proxy ? { ref: 'proxyEndpoint' } : { input: 'dbHost' }]);
    env.push(['DB_PORT', { literal: '5432' }]);
    env.push(['DB_NAME', { input: 'dbName' }]);
    env.push(['DB_USER', { input: 'dbUser' }]);
    if (p.functionReadsSecret) env.push(['DB_SECRET_ARN', { input: 'dbSecretArn' }]);
    if (options.compute === 'managed-instances') env.push(['DB_POOL_SHARE', { input: 'dbPoolShare' }]);
  }
  if (p.dataApi) {
    env.push(['DB_CLUSTER_ARN', { ref: 'clusterArn' }]);
    env.push(['DB_SECRET_ARN', { input: 'dbSecretArn' }]);
    env.push(['DB_NAME', { input: 'dbName' }]);
  }
  if (p.dsql) {
    env.push(['DB_HOST', { ref: 'dsqlEndpoint' }]);
    env.push(['DB_PORT', { literal: String(dsqlAccess.port.value) }]);
    env.push(['DB_NAME', { literal: dsqlAccess.database.value }]);
    env.push(['DB_USER', { literal: DSQL_ROLE }]);
  }
  if (p.table) env.push(['TABLE_NAME', { ref: 'tableName' }]);
  return env;
}
