/** The generated README: what each file is for, how to deploy it, how to test it locally. */
import { isNodeRuntime, type GenerateOptions } from '../vocabulary/choices.ts';
import { usesConnection } from './options.ts';
import { htmlHeader } from './project.ts';
import { iacKeys, inputs, managedInstancesFunction, onManagedInstances, operatorRolePolicy, plan, pascal, snake, shout } from './iac/model.ts';
import { managedInstances } from '../facts/lambda.ts';
import { clientSettings, functionSettings, proxyConfiguration, sqsEventSource, statementTimeout } from '../facts/starter-code.ts';
import { dsqlAccess, dsqlConnections, dsqlErrors, dsqlRetry, dsqlUnsupported } from '../facts/aurora-dsql.ts';

const titles: Record<GenerateOptions['pattern'], string> = {
  'module-pool': 'a module-level pool connecting directly to PostgreSQL',
  'rds-proxy': 'RDS Proxy in front of PostgreSQL',
  'data-api': 'the RDS Data API (no connections)',
  dynamodb: 'DynamoDB (no connections)',
  'sqs-batching': 'an SQS queue and a batch consumer capped by MaximumConcurrency',
  'aurora-dsql': 'Aurora DSQL (PostgreSQL-compatible, IAM tokens, no VPC)',
};

const CA_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
const AMAZON_ROOT_CA_URL = 'https://www.amazontrust.com/repository/AmazonRootCA1.pem';

/** What the Aurora DSQL handler does about connections, and why its role is a custom one. */
function dsqlLines(options: GenerateOptions): string[] {
  const node = isNodeRuntime(options.runtime);
  const rate = dsqlErrors.rateExceeded.value;
  const lifetime = (dsqlConnections.maxSessionDuration.value - dsqlConnections.maxTransactionDuration.value) / 1000;
  return [
    '- No VPC: the cluster endpoint is public and every connection is authenticated with an IAM token, so the function runs outside a VPC and needs no NAT gateway or endpoint.',
    `- The pool (or, in Python, the one connection) is created outside the handler, once per execution environment, and holds at most one connection. A cluster allows ${dsqlConnections.maxPerCluster.value.toLocaleString('en-US')} connections (a quota you can raise): there is no instance class to size.`,
    `- A new token is signed for every new connection (${dsqlConnections.tokenDefaultLifetime.value / 60} minutes; checked only when the connection opens; signing is local).`,
    `- The function logs in as the custom database role \`lambda_app\` and its policy allows only \`${dsqlAccess.customRoleAction.value}\` on this one cluster's ARN. \`${dsqlAccess.adminRoleAction.value}\` would log in as \`${dsqlAccess.adminRole.value}\`, which owns every table and can create roles: a function that only records orders should not hold that. The cost is one step: schema.sql, run as \`${dsqlAccess.adminRole.value}\`, creates \`lambda_app\`, grants it SELECT and INSERT on the table, and links it to the function's IAM role with \`AWS IAM GRANT\`.`,
    `- A cluster accepts ${dsqlConnections.ratePerCluster.value} new connections per second with a burst of ${dsqlConnections.burstCapacity.value.toLocaleString('en-US')}; beyond that it answers ${rate.code} ("${rate.message}"). The handler retries those up to ${dsqlRetry.attempts.value} times with full jitter (a random wait under a ceiling that doubles from ${dsqlRetry.baseDelay.value * 2} ms to ${dsqlRetry.maxDelay.value} ms), so environments started together spread their retries.`,
    `- A session lasts at most ${dsqlConnections.maxSessionDuration.value / 60_000} minutes and a transaction ${dsqlConnections.maxTransactionDuration.value / 60_000}: the ${node ? 'pool retires' : 'handler replaces'} a connection after ${lifetime} s, so no transaction meets the end of its session. Idle connections are closed after ${clientSettings.poolIdleTimeout.value} s.`,
    node
      ? `- Nothing waits without a bound: \`connectionTimeoutMillis\` ${clientSettings.connectTimeout.value * 1000} ms to open a connection, \`query_timeout\` ${clientSettings.queryTimeout.value * 1000} ms for an answer, \`keepAlive\` on the socket. A connection that fails under a query goes back with \`client.release(error)\`; if it died before COMMIT was sent, the transaction runs once more on a new connection.`
      : `- Nothing waits without a bound: \`connect_timeout\` ${clientSettings.connectTimeout.value} s to open a connection and TCP keepalives to notice a vanished server; a connection found closed, broken or idle too long is reopened at the start of the next invocation.`,
    node
      ? '- TLS with full verification: Aurora DSQL refuses connections without TLS, and its certificate must chain to Amazon Root CA 1 (in Node.js\'s default trust store) and match the host name.'
      : '- TLS with full verification (`verify-full`): Aurora DSQL refuses connections without TLS, and its certificate must chain to Amazon Root CA 1 (`app/AmazonRootCA1.pem`) and match the host name.',
    `- schema.sql uses what Aurora DSQL supports: a UUID key instead of a sequence, \`CREATE INDEX ASYNC\`, no foreign keys or triggers. It does not support ${dsqlUnsupported.value.join(', ')}.`,
    '- On SIGTERM (sent only when an extension is registered) the connection is closed, so the cluster frees it at once.',
    '- Every query is parameterised.',
  ];
}

export function readme(options: GenerateOptions): string {
  const p = plan(options);
  const node = isNodeRuntime(options.runtime);
  const lines: string[] = [htmlHeader(options, iacKeys(options)).trimEnd(), ''];
  lines.push(`# Orders function: ${titles[options.pattern]}`, '');
  lines.push(
    `A Lambda function (${options.runtime}, ${options.language}) that records an order and returns the customer's total, deployed with ${iacName(options.iac)}. ` +
      'It was generated by Lambda Connection Lab; each file starts with the answers that produced it.',
    '',
  );
  lines.push('## Files', '');
  for (const file of projectFiles(options)) lines.push(`- \`${file.path}\`: ${file.purpose}`);
  lines.push('');

  lines.push('## What the code does about connections', '');
  if (options.pattern === 'aurora-dsql') {
    lines.push(...dsqlLines(options));
  } else if (usesConnection(options.pattern)) {
    lines.push(
      onManagedInstances(options)
        ? `- The pool is created outside the handler, once per execution environment. On Managed Instances an environment runs up to \`${managedInstances.maxConcurrencyVariable.value}\` invocations at once, all sharing the pool, so it holds up to that many connections, capped by \`DB_POOL_SHARE\`: the database sees at most environments × pool size. The infrastructure caps the environments with the function's \`FunctionScalingConfig\`: \`MaxExecutionEnvironments\` is a parameter, \`MinExecutionEnvironments\` is ${managedInstancesFunction.minExecutionEnvironments} (without the setting both are ${managedInstances.defaultExecutionEnvironments.value}, and nothing ties the environments to the budget). Set the two parameters from the wizard's recommendation, so that MaxExecutionEnvironments × DB_POOL_SHARE stays within the function's connection budget.`
        : '- The pool (or, in Python, the one connection) is created outside the handler, once per execution environment, and holds at most one connection: an environment serves one invocation at a time.',
      `- Idle connections are closed after ${clientSettings.poolIdleTimeout.value} s, before the ${p.proxy ? `proxy's IdleClientTimeout (${proxyConfiguration.idleClientTimeout.value} s here)` : "server's idle_session_timeout (see schema.sql)"} can close them under a query.`,
      node
        ? '- An `error` handler on the pool logs a connection the server closed while it was idle, instead of crashing the runtime. A connection that fails under a query (`ECONNRESET`, "Connection terminated unexpectedly", "Connection terminated due to connection timeout", a query timeout) goes back with `client.release(error)`, so the pool destroys it; if it died before COMMIT was sent, the transaction runs once more on a new connection.'
        : '- A connection found closed, broken or idle too long is closed and reopened at the start of the next invocation (a frozen environment runs no timers); statements autocommit unless wrapped in a transaction, so no session sits idle in a transaction.',
      node
        ? `- Nothing waits without a bound: \`connectionTimeoutMillis\` ${clientSettings.connectTimeout.value * 1000} ms to open a connection, \`query_timeout\` ${clientSettings.queryTimeout.value * 1000} ms for an answer, \`keepAlive\` on the socket, and the server cancels any statement after \`statement_timeout\` (${statementTimeout.value} s).`
        : `- Nothing waits without a bound: \`connect_timeout\` ${clientSettings.connectTimeout.value} s to open a connection, TCP keepalives (${clientSettings.tcpKeepalives.value.idle} s idle, then ${clientSettings.tcpKeepalives.value.count} probes ${clientSettings.tcpKeepalives.value.interval} s apart) to notice a vanished server, and the server cancels any statement after \`statement_timeout\` (${statementTimeout.value} s).`,
      waitOrder(options),
      `- \`statement_timeout\` is set on the database user in schema.sql (\`ALTER ROLE … SET\`), not by the code: behind RDS Proxy a session \`SET\` pins the client to one database connection (no more multiplexing), and a startup \`options\` parameter (libpq's \`options=-c statement_timeout=…\`) is refused by the proxy ("RDS Proxy currently doesn't support command-line options"). The role setting applies to every session of the user, including the proxy's.`,
      options.auth === 'iam'
        ? p.proxy
          ? "- IAM authentication to the proxy: a new token is signed for every new connection (tokens live 15 minutes and are checked only when a connection opens; signing is local). The proxy itself logs in to the database with the user name and password in its secret, so the database user keeps that password and is not a member of `rds_iam` (a member of `rds_iam` can no longer log in with a password, and the proxy could not connect). To use IAM from the proxy to the database too, switch the proxy to end-to-end IAM (`DefaultAuthScheme` `IAM_AUTH`, `rds-db:connect` for the proxy's role); only then grant `rds_iam`."
          : '- IAM authentication: a new token is signed for every new connection (tokens live 15 minutes and are checked only when a connection opens). Signing is local, so the function needs no route to an AWS endpoint for it. The database user is a member of `rds_iam` (schema.sql), so it cannot log in with a password at all.'
        : "- The password is read from Secrets Manager once, at INIT, and kept in memory; it is never in an environment variable. After a rotation the kept password fails with 28P01 (invalid_password) on the next new connection: the handler reads the secret again and retries once, so rotation needs no redeploy. The function's subnets need a route to Secrets Manager: a NAT gateway or an interface VPC endpoint (com.amazonaws.REGION.secretsmanager). The policy allows `secretsmanager:GetSecretValue` on this one secret; if the secret is encrypted with a customer managed KMS key (not the default `aws/secretsmanager`), also allow `kms:Decrypt` on that key.",
      '- TLS with full verification (`verify-full`): the server certificate must chain to the RDS CA bundle and match the host name.',
      '- Every query is parameterised.',
    );
    if (p.proxy) {
      lines.push(
        `- RDS Proxy (engine family POSTGRESQL, port 5432, TLS required${p.iamDb ? ', IAM required for clients' : ''}). Its pool settings are on the target group, not on the proxy: MaxConnectionsPercent ${proxyConfiguration.maxConnectionsPercent.value}, MaxIdleConnectionsPercent ${proxyConfiguration.maxIdleConnectionsPercent.value}, ConnectionBorrowTimeout ${proxyConfiguration.connectionBorrowTimeout.value} s. The handler runs one short transaction and no SET, so the proxy can multiplex (no pinning).`,
      );
    }
    if (p.queue) lines.push(`- The event source mapping runs at most ${sqsEventSource.maximumConcurrency.value} batches at once (ScalingConfig.MaximumConcurrency), so the database sees at most ${sqsEventSource.maximumConcurrency.value} connections from this function. Failed messages are reported one by one (ReportBatchItemFailures) and end in the dead-letter queue after 5 receives.`);
  } else if (p.dataApi) {
    lines.push('- No VPC, no connections, no pool: each statement is an HTTPS call to the RDS Data API, authorised by the function role and logged in with the Secrets Manager secret.', '- The Data API must be enabled on the cluster (Aurora PostgreSQL; not on T instance classes). A transaction idle for 3 minutes is rolled back.', '- Statements use named parameters (`:customerId`).');
  } else {
    lines.push('- No VPC, no connections: DynamoDB is called over HTTPS, and the SDK keeps its connections alive.', '- The request id is the order id and the write is conditional, so a retried invocation does not write twice.');
  }
  lines.push('- The IAM policy names exact resources built from the parameters below; no wildcards.', '');
  if (onManagedInstances(options)) lines.push(...managedInstancesSection(options));

  lines.push('## Parameters', '');
  lines.push('| Parameter | Meaning |', '| --- | --- |');
  for (const input of inputs(options)) lines.push(`| ${paramName(options, input.id)} | ${input.description}${input.default ? ` Default \`${input.default}\`.` : ''} |`);
  lines.push('');

  lines.push('## Deploy', '');
  for (const [index, step] of deployInstructions(options).entries()) lines.push(`${index + 1}. ${step}`);
  lines.push('');

  lines.push('## Test locally', '');
  if (options.pattern === 'aurora-dsql') {
    lines.push(
      'A local PostgreSQL stands in for the cluster: it cannot check an IAM token or run `AWS IAM GRANT` and `CREATE INDEX ASYNC`, so apply schema.sql without those two words and the grant line, and let the local server accept `lambda_app` without a password (a `trust` line in pg_hba.conf for 127.0.0.1) over TLS with a throw-away certificate. The test still signs a token (any AWS credentials will do; signing is offline) and checks its shape. Run it with `DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=postgres DB_USER=lambda_app DB_CA_BUNDLE=<your CA> AWS_REGION=us-east-1`, or against a development cluster with `DB_HOST` set to its endpoint and no `DB_CA_BUNDLE`.',
      '',
    );
  } else if (usesConnection(options.pattern)) {
    lines.push(
      'The test runs the real handler against a local PostgreSQL with TLS. Make a throw-away CA and server certificate, start PostgreSQL with them, and point the handler at the CA:',
      '',
      '```sh',
      'mkdir -p local-tls && cd local-tls',
      'openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=local test CA" -keyout ca.key -out ca.pem',
      'openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout server.key -out server.csr',
      'openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -copy_extensions copy -out server.crt',
      'chmod 600 server.key && cd ..',
      '# PostgreSQL 15 with TLS on (for example the postgres:15 container with -c ssl=on -c ssl_cert_file=… -c ssl_key_file=…)',
      '```',
      '',
      `Then, with \`schema.sql\` applied and the user created, run the test with \`DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=postgres DB_USER=lambda_app DB_CA_BUNDLE=local-tls/ca.pem AWS_REGION=us-east-1\` and:`,
      '',
    );
    if (options.auth === 'iam') {
      lines.push(
        p.proxy
          ? '- IAM: a local PostgreSQL cannot check an IAM token. The test still signs one (any AWS credentials in your environment will do; signing is offline) and checks its shape. To run the handler itself, let the local server accept `lambda_app` without a password (a `trust` line in pg_hba.conf for 127.0.0.1): the driver then never sends the token. A local PgBouncer in transaction mode, logging in with the password, stands in for the proxy.'
          : '- IAM: a local PostgreSQL cannot check an IAM token, and has no `rds_iam` role: create one first (`CREATE ROLE rds_iam;`) so schema.sql runs. The test still signs a token (any AWS credentials in your environment will do; signing is offline) and checks its shape. To run the handler itself, let the local server accept `lambda_app` without a password (a `trust` line in pg_hba.conf for 127.0.0.1): the driver then never sends the token.',
      );
    } else {
      lines.push(
        '- Secrets Manager: point `AWS_ENDPOINT_URL_SECRETS_MANAGER` at a local stand-in (LocalStack, for example) holding `DB_SECRET_ARN` with the local password, or at nothing and run the test against a development secret in AWS.',
      );
    }
  } else if (p.dataApi) {
    lines.push('The test runs the real handler against a Data API endpoint: a development cluster (`DB_CLUSTER_ARN`, `DB_SECRET_ARN`, `DB_NAME`, `AWS_REGION` set), or a local stand-in named by `AWS_ENDPOINT_URL_RDS_DATA`.', '');
  } else {
    lines.push('The test runs the real handler against DynamoDB Local (or any endpoint named by `AWS_ENDPOINT_URL_DYNAMODB`) with a table named by `TABLE_NAME`, keyed by `customerId` (hash) and `orderId` (range).', '');
  }
  lines.push('', '```sh', node ? 'npm test' : 'python -m pip install -r app/requirements.txt && python -m unittest discover -s tests', '```', '');
  return lines.join('\n');
}

/**
 * Why the bounds have the values they have: each wait ends before the one that would hide its error, so
 * the function reports the proxy's or the database's error, never "Task timed out".
 */
function waitOrder(options: GenerateOptions): string {
  const { proxy } = plan(options);
  const connect = clientSettings.connectTimeout.value;
  const statement = statementTimeout.value;
  const fn = functionSettings.timeout.value;
  const borrow = proxyConfiguration.connectionBorrowTimeout.value;
  if (isNodeRuntime(options.runtime)) {
    const query = clientSettings.queryTimeout.value;
    const inQuery = proxy
      ? `a statement waits at most ConnectionBorrowTimeout (${borrow} s) in the proxy's queue and then runs at most \`statement_timeout\` (${statement} s), so the proxy's "Timed-out waiting to acquire database connection." or the server's cancellation arrives before \`query_timeout\` (${borrow} + ${statement} < ${query} s); with the proxy's default of 120 s, pg would give up first with "Query read timeout" and the proxy's error would never reach the function`
      : `the server cancels a statement after \`statement_timeout\` (${statement} s), before \`query_timeout\` (${query} s), so a slow query ends with PostgreSQL's error and \`query_timeout\` only fires on a dead socket`;
    return `- The bounds are ordered so that the error that ends a wait is the one that explains it: ${inQuery}; and opening a connection plus one query (${connect} + ${query} s) ends before the function timeout (${fn} s), so the function reports the database's error, not "Task timed out".`;
  }
  const { idle, interval, count } = clientSettings.tcpKeepalives.value;
  const dead = idle + interval * count;
  const inQuery = proxy ? `a statement waits at most ConnectionBorrowTimeout (${borrow} s) in the proxy's queue and then runs at most \`statement_timeout\` (${statement} s)` : `the server cancels a statement after \`statement_timeout\` (${statement} s)`;
  return `- The bounds are ordered so that the error that ends a wait is the one that explains it: ${inQuery}; psycopg has no client-side query timeout, so a server that vanished is noticed by the keepalives after ${idle} + ${count} × ${interval} = ${dead} s, and opening a connection plus that (${connect} + ${dead} s) ends before the function timeout (${fn} s), so the function reports the database's error, not "Task timed out".`;
}

/** What the infrastructure declares for Managed Instances, and what each flavour needs for it. */
function managedInstancesSection(options: GenerateOptions): string[] {
  const cliNote: Record<GenerateOptions['iac'], string> = {
    sam: 'SAM passes `AWS::Lambda::CapacityProvider` to CloudFormation as it is and turns the function\'s `CapacityProviderConfig` into the one on `AWS::Lambda::Function`: use a SAM CLI from December 2025 or later.',
    cdk: 'The stack uses `lambda.CapacityProvider` and its `addFunction`, in aws-cdk-lib since 2.231.',
    terraform: `\`aws_lambda_capacity_provider\` and the function's \`capacity_provider_config\` and \`publish_to\` arrived in the hashicorp/aws provider ${managedInstances.terraformProviderVersion.value}, \`aws_lambda_function_scaling_config\` in ${managedInstances.terraformScalingConfigProviderVersion.value}, so this configuration requires ${managedInstances.terraformScalingConfigProviderVersion.value} (the 5.x series has none of them). Provider 6 names the Region \`data.aws_region.current.region\`.`,
    'aws-cli': 'The script needs an AWS CLI v2 from December 2025 or later (`create-capacity-provider`, `create-function --capacity-provider-config`, `publish-version --publish-to`). It waits until the capacity provider is Active before creating the function.',
  };
  return [
    '## Managed Instances', '',
    `- The function runs on EC2 instances that a **capacity provider** launches into the subnets below, with the function's security group (so the database rule above still applies). The function itself has no VPC configuration: its network is the capacity provider's, and since it creates no network interfaces its role has only the logs policy (\`AWSLambdaBasicExecutionRole\`).`,
    `- Lambda launches the instances with an **operator role** that only \`${managedInstances.operatorRoleService.value}\` may assume, holding the AWS managed policy \`${operatorRolePolicy}\`, the minimum AWS documents for it. That policy is AWS's, not scoped to this project: its EC2 actions are limited to resources Lambda manages (condition \`ec2:ManagedResourceOperator\`).`,
    `- ${managedInstancesFunction.memoryMb} MB at ${managedInstancesFunction.memoryGiBPerVcpu} GiB per vCPU: one vCPU per execution environment, the smallest Managed Instances function. Node.js runs one worker thread per vCPU.`,
    '- Unqualified invocations run the `$LATEST.PUBLISHED` version, not `$LATEST`: every deployment publishes it.',
    `- The capacity provider scales with CPU utilisation, not per request; traffic that more than doubles within ${managedInstances.trafficDoublingWindow.value / 60_000} minutes can be throttled while instances start.`,
    `- ${cliNote[options.iac]}`,
    '',
  ];
}

function iacName(iac: GenerateOptions['iac']): string {
  return { sam: 'AWS SAM', cdk: 'the AWS CDK (TypeScript)', terraform: 'Terraform', 'aws-cli': 'an AWS CLI script' }[iac];
}

/** One line per file of the project: what it is for. The README lists them, and so does the wizard's file tree. */
export interface ProjectFile {
  readonly path: string;
  readonly purpose: string;
}

export function projectFiles(options: GenerateOptions): ProjectFile[] {
  const node = isNodeRuntime(options.runtime);
  const ts = options.language === 'typescript';
  const handlerPath = node ? (ts ? 'src/handler.ts' : 'src/handler.mjs') : 'app/handler.py';
  return [
    { path: 'README.md', purpose: 'what the code does about connections, the parameters, and how to deploy and test.' },
    { path: handlerPath, purpose: 'the handler.' },
    node ? { path: 'package.json', purpose: 'pinned dependencies.' } : { path: 'app/requirements.txt', purpose: 'pinned dependencies.' },
    ...(ts ? [{ path: 'tsconfig.json', purpose: 'compiles `src/` to `dist/`, which is what Lambda runs.' }] : []),
    node ? { path: 'test/handler.test.mjs', purpose: 'the local test.' } : { path: 'tests/test_handler.py', purpose: 'the local test.' },
    { path: 'events/event.json', purpose: 'a sample event.' },
    ...(options.pattern !== 'dynamodb' ? [{ path: 'schema.sql', purpose: 'the table and the database user.' }] : []),
    ...iacFiles(options),
    { path: '.gitignore', purpose: 'keeps dependencies and build output out of version control.' },
  ];
}

function iacFiles(options: GenerateOptions): ProjectFile[] {
  switch (options.iac) {
    case 'sam':
      return [
        { path: 'template.yaml', purpose: 'infrastructure: the AWS SAM template.' },
        { path: 'samconfig.toml', purpose: 'defaults for `sam deploy`.' },
      ];
    case 'cdk':
      return [
        { path: 'infra/package.json', purpose: 'the CDK app\'s dependencies.' },
        { path: 'infra/tsconfig.json', purpose: 'compiler settings for the CDK app.' },
        { path: 'infra/cdk.json', purpose: 'tells the CDK CLI how to run the app.' },
        { path: 'infra/bin/app.ts', purpose: 'the CDK app: reads the context values and creates the stack.' },
        { path: 'infra/lib/orders-stack.ts', purpose: 'infrastructure: the stack.' },
      ];
    case 'terraform':
      return [
        { path: 'infra/main.tf', purpose: 'infrastructure: the resources.' },
        { path: 'infra/variables.tf', purpose: 'the inputs.' },
        { path: 'infra/outputs.tf', purpose: 'the outputs.' },
      ];
    case 'aws-cli':
      return [{ path: 'deploy.sh', purpose: 'infrastructure: creates or updates everything with the AWS CLI.' }];
  }
}

function paramName(options: GenerateOptions, id: string): string {
  switch (options.iac) {
    case 'sam':
      return pascal(id);
    case 'cdk':
      return `-c ${id}=…`;
    case 'terraform':
      return snake(id);
    case 'aws-cli':
      return shout(id);
  }
}

/** Every step from the generated files to a deployed function, in Markdown (commands in backticks): the README's Deploy list and the wizard's next steps. */
export function deployInstructions(options: GenerateOptions): string[] {
  const node = isNodeRuntime(options.runtime);
  const ts = options.language === 'typescript';
  const caDir = node ? '.' : 'app';
  const steps: string[] = [];
  if (options.pattern === 'aurora-dsql') {
    if (!node) steps.push(`Download Amazon Root CA 1 next to the handler: \`curl -o app/AmazonRootCA1.pem ${AMAZON_ROOT_CA_URL}\`.`);
    if (node) steps.push(`Install${ts ? ' and build' : ''}: \`npm ci${ts ? ' && npm run build' : ''}\`.`);
    steps.push(...deploySteps(options));
    steps.push(
      `Create the table and the function's database role as \`${dsqlAccess.adminRole.value}\`, with ENDPOINT the cluster endpoint from the deployment's output and ROLE_ARN the function's role (\`aws lambda get-function-configuration --function-name FUNCTION --query Role --output text\`): \`psql "host=ENDPOINT dbname=${dsqlAccess.database.value} user=${dsqlAccess.adminRole.value} sslmode=verify-full sslrootcert=system" -v function_role_arn=ROLE_ARN -f schema.sql\`; at its password prompt paste an admin token (\`aws dsql generate-db-connect-admin-auth-token --hostname ENDPOINT --region REGION\`).`,
    );
    return steps;
  }
  if (usesConnection(options.pattern) || options.pattern === 'data-api') {
    const asks = options.pattern === 'data-api' || options.auth === 'secrets-manager' || options.pattern === 'rds-proxy';
    steps.push(
      `Create the table and the user as the master user: \`psql "host=… dbname=… sslmode=verify-full sslrootcert=global-bundle.pem" -f schema.sql\`${asks ? " (psql asks for the user's password: type the one stored in the secret)" : ''}.`,
    );
  }
  if (usesConnection(options.pattern)) {
    steps.push(`Download the RDS CA bundle next to the handler: \`curl -o ${caDir}/global-bundle.pem ${CA_URL}\`.`);
  }
  if (node) steps.push(`Install${ts ? ' and build' : ''}: \`npm ci${ts ? ' && npm run build' : ''}\`.`);
  steps.push(...deploySteps(options));
  return steps;
}

function deploySteps(options: GenerateOptions): string[] {
  const node = isNodeRuntime(options.runtime);
  switch (options.iac) {
    case 'sam':
      return ['`sam build && sam deploy --guided` (it asks for each parameter).'];
    case 'cdk':
      return [
        '`cd infra && npm ci`',
        `\`npx cdk deploy ${inputs(options).map((input) => `-c ${input.id}=…`).join(' ')}\` (the account and Region come from your AWS profile; the stack looks the VPC up).`,
      ];
    case 'terraform':
      return [
        node ? 'Trim the package to production dependencies: `npm prune --omit=dev` (run `npm ci` again before testing).' : 'Vendor the dependencies for Lambda (Linux x86_64): `pip install -r app/requirements.txt -t app/ --platform manylinux2014_x86_64 --only-binary=:all:`.',
        '`cd infra && terraform init && terraform apply` (it asks for each variable, or pass `-var` / a `terraform.tfvars`).',
      ];
    case 'aws-cli':
      return [`Export the parameters (${inputs(options).map((input) => shout(input.id)).join(', ')}) and run \`./deploy.sh\`. It packages the code, creates the role and policy, ${plan(options).proxy ? 'the proxy and its target group, ' : ''}and the function. Re-running it updates the code.`];
  }
}
