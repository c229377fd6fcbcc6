/**
 * Terraform (hashicorp/aws provider 5.x). The proxy's pool settings live in
 * aws_db_proxy_default_target_group's connection_pool_config, the provider's face of
 * modify-db-proxy-target-group.
 */
import { isNodeRuntime, type GenerateOptions } from '../../vocabulary/choices.ts';
import { header } from '../project.ts';
import { codeLayout, environment, executionRolePolicy, functionMemoryMb, iacKeys, inputs, managedInstancesFunction, onManagedInstances, operatorRolePolicy, plan, renderArn, snake, statements, type ArnPart } from './model.ts';
import { managedInstances } from '../../facts/lambda.ts';
import { functionSettings, proxyConfiguration, sqsEventSource } from '../../facts/starter-code.ts';

/** hashicorp/aws 6 deprecates aws_region's `name` for `region`; Managed Instances projects need 6. */
const regionAttribute = (options: GenerateOptions) => (onManagedInstances(options) ? 'region' : 'name');

const tfParts = (options: GenerateOptions): Record<ArnPart, string> => ({
  partition: '${data.aws_partition.current.partition}',
  region: `\${data.aws_region.current.${regionAttribute(options)}}`,
  account: '${data.aws_caller_identity.current.account_id}',
  dbResourceId: '${var.db_resource_id}',
  dbUser: '${var.db_user}',
  proxyResourceId: '${local.proxy_resource_id}',
  secretArn: '${var.db_secret_arn}',
  clusterId: '${var.db_cluster_identifier}',
  queueArn: '${aws_sqs_queue.orders.arn}',
  tableArn: '${aws_dynamodb_table.orders.arn}',
  dsqlClusterId: '${aws_dsql_cluster.orders.identifier}',
});

export function terraformFiles(options: GenerateOptions): Array<{ path: string; contents: string }> {
  return [
    { path: 'infra/main.tf', contents: header('hash', options, iacKeys(options), 'Terraform resources.') + main(options) },
    { path: 'infra/variables.tf', contents: header('hash', options, iacKeys(options), 'Terraform inputs.') + variables(options) },
    { path: 'infra/outputs.tf', contents: header('hash', options, iacKeys(options), 'Terraform outputs.') + outputs(options) },
  ];
}

function variables(options: GenerateOptions): string {
  return inputs(options)
    .map((input) => {
      const lines = [`variable "${snake(input.id)}" {`, `  description = ${JSON.stringify(input.description)}`, `  type        = ${input.list ? 'list(string)' : 'string'}`];
      if (input.default) lines.push(`  default     = ${JSON.stringify(input.default)}`);
      if (input.pattern) {
        lines.push('', '  validation {', `    condition     = can(regex(${JSON.stringify(input.pattern)}, var.${snake(input.id)}))`, `    error_message = ${JSON.stringify(`${snake(input.id)} must match ${input.pattern}.`)}`, '  }');
      }
      lines.push('}');
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

function outputs(options: GenerateOptions): string {
  const p = plan(options);
  const out = ['output "function_name" {\n  value = aws_lambda_function.orders.function_name\n}'];
  if (p.proxy) out.push('output "proxy_endpoint" {\n  value = aws_db_proxy.this.endpoint\n}');
  if (p.queue) out.push('output "queue_url" {\n  value = aws_sqs_queue.orders.url\n}');
  if (p.table) out.push('output "table_name" {\n  value = aws_dynamodb_table.orders.name\n}');
  if (p.dsql) out.push(`output "cluster_endpoint" {\n  value = ${DSQL_ENDPOINT}\n}`);
  return out.join('\n\n') + '\n';
}

/** The cluster's endpoint, built from its identifier (the provider exports the identifier and the ARN). */
const DSQL_ENDPOINT = '"${aws_dsql_cluster.orders.identifier}.dsql.${data.aws_region.current.name}.on.aws"';

/** A resource whose attributes are aligned on `=`, as `terraform fmt` writes them. */
function resource(type: string, name: string, attributes: Array<[string, string | number]>): string {
  const width = Math.max(...attributes.map(([key]) => key.length));
  return `resource "${type}" "${name}" {\n${attributes.map(([key, value]) => `  ${key.padEnd(width)} = ${value}`).join('\n')}\n}`;
}

/** The function's or the proxy's own group, in the VPC the reader names. */
const securityGroup = (name: 'function' | 'proxy', description: string): string =>
  resource('aws_security_group', name, [
    ['name_prefix', `"orders-${name}-"`],
    ['description', JSON.stringify(description)],
    ['vpc_id', 'var.vpc_id'],
  ]);

/** One TCP port of a security group, to or from another group or an address range. */
function rule(direction: 'ingress' | 'egress', name: string, group: string, port: number, peer: ['referenced_security_group_id' | 'cidr_ipv4', string], description?: string): string {
  const attributes: Array<[string, string | number]> = [['security_group_id', group], ['ip_protocol', '"tcp"'], ['from_port', port], ['to_port', port], peer];
  if (description) attributes.push(['description', JSON.stringify(description)]);
  return resource(`aws_vpc_security_group_${direction}_rule`, name, attributes);
}

/** The function's, the proxy's or the capacity provider operator's role, which only that AWS service may assume. */
const serviceRole = (name: 'function' | 'proxy' | 'capacity_provider_operator', service: string): string => `resource "aws_iam_role" "${name}" {
  name_prefix = "orders-${name.replaceAll('_', '-')}-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "${service}" }, Action = "sts:AssumeRole" }]
  })
}`;

/** Environments × pool size is what the database sees: the maximum keeps it within the budget. */
const managedInstancesScaling = `resource "aws_lambda_function_scaling_config" "orders" {
  function_name = aws_lambda_function.orders.function_name
  qualifier     = "${managedInstancesFunction.qualifier}"

  function_scaling_config {
    min_execution_environments = ${managedInstancesFunction.minExecutionEnvironments}
    max_execution_environments = tonumber(var.max_execution_environments)
  }
}`;

/** On Managed Instances the function has no vpc_config: it runs on the capacity provider, published as $LATEST.PUBLISHED. */
const managedInstancesFunctionBlocks = `
  publish    = true
  publish_to = "LATEST_PUBLISHED"

  capacity_provider_config {
    lambda_managed_instances_capacity_provider_config {
      capacity_provider_arn                     = aws_lambda_capacity_provider.orders.arn
      execution_environment_memory_gib_per_vcpu = ${managedInstancesFunction.memoryGiBPerVcpu}
    }
  }
`;

function main(options: GenerateOptions): string {
  const p = plan(options);
  const layout = codeLayout(options);
  const node = isNodeRuntime(options.runtime);
  const parts: string[] = [];
  // On Managed Instances the floor is the release that added aws_lambda_function_scaling_config, the newest
  // resource the project uses (the capacity provider came earlier): src/facts/lambda.ts cites where it was read.
  parts.push(`terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${onManagedInstances(options) ? `>= ${managedInstances.terraformScalingConfigProviderVersion.value}, < 7.0.0` : '~> 5.80'}"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

provider "aws" {}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}`);

  const excludes = node
    ? ['infra', 'test', 'events', 'README.md', 'schema.sql', '.gitignore', ...(options.language === 'typescript' ? ['src', 'tsconfig.json'] : [])]
    : [];
  parts.push(`# Build first (see README.md); the archive holds exactly what Lambda runs.
data "archive_file" "function" {
  type        = "zip"
  source_dir  = "\${path.module}/../${layout.codeDir === '.' ? '' : layout.codeDir}"
  output_path = "\${path.module}/function.zip"${excludes.length ? `\n  excludes    = ${JSON.stringify(excludes)}` : ''}
}`.replace('/../"', '/.."'));

  if (p.vpc) {
    parts.push(
      securityGroup('function', 'Lambda function: out to PostgreSQL only'),
      rule('egress', 'function_to_postgres', 'aws_security_group.function.id', 5432, ['referenced_security_group_id', p.proxy ? 'aws_security_group.proxy.id' : 'var.database_security_group_id'], 'PostgreSQL'),
    );
    if (p.functionReadsSecret) {
      parts.push(rule('egress', 'function_to_secrets_manager', 'aws_security_group.function.id', 443, ['cidr_ipv4', '"0.0.0.0/0"'], 'Secrets Manager over HTTPS (NAT gateway or interface endpoint)'));
    }
    if (p.proxy) {
      parts.push(
        securityGroup('proxy', 'RDS Proxy: in from the function, out to the database'),
        rule('ingress', 'proxy_from_function', 'aws_security_group.proxy.id', 5432, ['referenced_security_group_id', 'aws_security_group.function.id']),
        rule('egress', 'proxy_to_database', 'aws_security_group.proxy.id', 5432, ['referenced_security_group_id', 'var.database_security_group_id']),
      );
    }
    parts.push(
      rule(
        'ingress',
        'database',
        'var.database_security_group_id',
        5432,
        ['referenced_security_group_id', p.proxy ? 'aws_security_group.proxy.id' : 'aws_security_group.function.id'],
        p.proxy ? 'From RDS Proxy' : 'From the Lambda function',
      ),
    );
  }

  if (p.proxy) {
    parts.push(serviceRole('proxy', 'rds.amazonaws.com'));
    parts.push(`resource "aws_iam_role_policy" "proxy_reads_secret" {
  role = aws_iam_role.proxy.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = var.db_secret_arn }]
  })
}

resource "aws_db_proxy" "this" {
  name                = "orders-proxy"
  engine_family       = "POSTGRESQL"
  role_arn            = aws_iam_role.proxy.arn
  vpc_subnet_ids      = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy.id]
  require_tls         = true
  idle_client_timeout = ${proxyConfiguration.idleClientTimeout.value}

  auth {
    auth_scheme               = "SECRETS"
    secret_arn                = var.db_secret_arn
    # Standard IAM mode: the function authenticates with a token, the proxy logs in with the secret.
    iam_auth                  = "${p.iamDb ? 'REQUIRED' : 'DISABLED'}"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
  }
}

# Pool settings belong to the target group (modify-db-proxy-target-group), not to the proxy.
resource "aws_db_proxy_default_target_group" "this" {
  db_proxy_name = aws_db_proxy.this.name

  connection_pool_config {
    max_connections_percent      = ${proxyConfiguration.maxConnectionsPercent.value}
    max_idle_connections_percent = ${proxyConfiguration.maxIdleConnectionsPercent.value}
    connection_borrow_timeout    = ${proxyConfiguration.connectionBorrowTimeout.value}
  }
}

resource "aws_db_proxy_target" "this" {
  db_proxy_name     = aws_db_proxy.this.name
  target_group_name = aws_db_proxy_default_target_group.this.name
  ${p.aurora ? 'db_cluster_identifier  = var.db_cluster_identifier' : 'db_instance_identifier = var.db_instance_identifier'}
}

locals {
  # The proxy resource id (prx-…) is the last field of the proxy ARN; rds-db:connect names it.
  proxy_resource_id = element(split(":", aws_db_proxy.this.arn), 6)
}`);
  }

  if (p.queue) {
    parts.push(`resource "aws_sqs_queue" "dead_letters" {
  name_prefix               = "orders-dlq-"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "orders" {
  name_prefix = "orders-"
  # AWS advises a visibility timeout of at least six times the function timeout.
  visibility_timeout_seconds = ${functionSettings.timeout.value * 6}
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dead_letters.arn, maxReceiveCount = 5 })
}`);
  }
  if (p.dsql) {
    parts.push(`# Deletion protection on: the cluster holds the orders, so terraform destroy must not drop it unasked.
resource "aws_dsql_cluster" "orders" {
  deletion_protection_enabled = true
}`);
  }
  if (p.table) {
    parts.push(`resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customerId"
  range_key    = "orderId"

  attribute {
    name = "customerId"
    type = "S"
  }
  attribute {
    name = "orderId"
    type = "S"
  }
}`);
  }

  const policy = statements(options)
    .map(
      (s) =>
        `      {\n        Sid      = "${s.sid}"\n        Effect   = "Allow"\n        Action   = ${JSON.stringify(s.actions)}\n        Resource = [${s.resources.map((r) => JSON.stringify(renderArn(r, tfParts(options)))).join(', ')}]\n      }`,
    )
    .join(',\n');
  if (onManagedInstances(options)) {
    parts.push(serviceRole('capacity_provider_operator', managedInstances.operatorRoleService.value));
    parts.push(`resource "aws_iam_role_policy_attachment" "capacity_provider_operator" {
  role       = aws_iam_role.capacity_provider_operator.name
  policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:policy/${operatorRolePolicy}"
}

# The instances run in the function's subnets with the function's security group.
resource "aws_lambda_capacity_provider" "orders" {
  name = "orders-${options.pattern}"

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.function.id]
  }

  permissions_config {
    capacity_provider_operator_role_arn = aws_iam_role.capacity_provider_operator.arn
  }

  depends_on = [aws_iam_role_policy_attachment.capacity_provider_operator]
}`);
  }
  parts.push(serviceRole('function', 'lambda.amazonaws.com'));
  parts.push(`resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.function.name
  policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:policy/${executionRolePolicy(options)}"
}

resource "aws_iam_role_policy" "function" {
  role = aws_iam_role.function.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
${policy}
    ]
  })
}`);

  const env = environment(options)
    .map(([name, value]) => {
      const expr =
        'literal' in value
          ? JSON.stringify(value.literal)
          : 'input' in value
            ? `var.${snake(value.input)}`
            : value.ref === 'proxyEndpoint'
              ? 'aws_db_proxy.this.endpoint'
              : value.ref === 'tableName'
                ? 'aws_dynamodb_table.orders.name'
                : value.ref === 'dsqlEndpoint'
                  ? DSQL_ENDPOINT
                  : '"arn:${data.aws_partition.current.partition}:rds:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster:${var.db_cluster_identifier}"';
      return `      ${name} = ${expr}`;
    })
    .join('\n');
  parts.push(`resource "aws_lambda_function" "orders" {
  function_name    = "orders-${options.pattern}"
  role             = aws_iam_role.function.arn
  runtime          = "${options.runtime}"
  handler          = "${layout.handler}"
  filename         = data.archive_file.function.output_path
  source_code_hash = data.archive_file.function.output_base64sha256
  memory_size      = ${functionMemoryMb(options)}
  timeout          = ${functionSettings.timeout.value}
${onManagedInstances(options) ? managedInstancesFunctionBlocks : p.vpc ? '\n  vpc_config {\n    subnet_ids         = var.subnet_ids\n    security_group_ids = [aws_security_group.function.id]\n  }\n' : ''}
  environment {
    variables = {
${env}
    }
  }
}`);
  if (onManagedInstances(options)) parts.push(managedInstancesScaling);
  if (p.queue) {
    parts.push(`resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn                   = aws_sqs_queue.orders.arn
  function_name                      = aws_lambda_function.orders.arn
  batch_size                         = ${sqsEventSource.batchSize.value}
  maximum_batching_window_in_seconds = ${sqsEventSource.batchingWindow.value}
  function_response_types            = ["ReportBatchItemFailures"]

  # At most this many batches run at once, so at most this many database connections.
  scaling_config {
    maximum_concurrency = ${sqsEventSource.maximumConcurrency.value}
  }
}`);
  }
  return parts.join('\n\n') + '\n';
}
