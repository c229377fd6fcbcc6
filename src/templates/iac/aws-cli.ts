/**
 * A bash deploy script over the AWS CLI v2. It states the API as it is: create-db-proxy has no pool
 * settings; they go to modify-db-proxy-target-group on the `default` target group, and the database
 * is attached with register-db-proxy-targets.
 */
import { isNodeRuntime, type GenerateOptions } from '../../vocabulary/choices.ts';
import { header } from '../project.ts';
import { codeLayout, environment, executionRolePolicy, functionMemoryMb, iacKeys, inputs, managedInstancesFunction, onManagedInstances, operatorRolePolicy, plan, renderArn, shout, statements, type ArnPart } from './model.ts';
import { managedInstances } from '../../facts/lambda.ts';
import { functionSettings, proxyConfiguration, sqsEventSource } from '../../facts/starter-code.ts';

const shParts: Record<ArnPart, string> = {
  partition: '$PARTITION',
  region: '$REGION',
  account: '$ACCOUNT_ID',
  dbResourceId: '$DB_RESOURCE_ID',
  dbUser: '$DB_USER',
  proxyResourceId: '$PROXY_RESOURCE_ID',
  secretArn: '$DB_SECRET_ARN',
  clusterId: '$DB_CLUSTER_IDENTIFIER',
  queueArn: '$QUEUE_ARN',
  tableArn: '$TABLE_ARN',
  dsqlClusterId: '$CLUSTER_ID',
};

export function awsCliFiles(options: GenerateOptions): Array<{ path: string; contents: string; executable: boolean }> {
  return [{ path: 'deploy.sh', contents: script(options), executable: true }];
}

function script(options: GenerateOptions): string {
  const p = plan(options);
  const layout = codeLayout(options);
  const node = isNodeRuntime(options.runtime);
  const s: string[] = [];
  s.push('#!/usr/bin/env bash');
  s.push(header('hash', options, iacKeys(options), 'deploys with the AWS CLI v2.').trimEnd());
  s.push('# Usage: export the variables below, then ./deploy.sh. Re-running it updates the function code.');
  s.push('set -euo pipefail');
  s.push('cd "$(dirname "$0")"', '');
  for (const input of inputs(options)) {
    const name = shout(input.id);
    if (input.default) s.push(`${name}="\${${name}:-${input.default}}"`);
    // Inside "${VAR:?word}" bash still pairs single quotes: an apostrophe in the word would open one.
    else s.push(`: "\${${name}:?set ${name}: ${input.description.replace(/["`$\\]/g, '').replace(/'/g, '’')}${input.list ? ' (comma-separated)' : ''}}"`);
  }
  s.push('NAME="${STACK_NAME:-orders-' + options.pattern + '}"');
  s.push('REGION="${AWS_REGION:-$(aws configure get region)}"');
  s.push('ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"');
  s.push('PARTITION="$(aws sts get-caller-identity --query Arn --output text | cut -d: -f2)"');
  if (p.vpc) s.push('SUBNETS="${SUBNET_IDS//,/ }"');
  s.push('');

  s.push('# 1. Package exactly what Lambda runs (set SKIP_PACKAGE=1 when function.zip was built elsewhere).');
  s.push('if [ "${SKIP_PACKAGE:-0}" != 1 ]; then');
  s.push('  rm -f function.zip');
  if (node) {
    const paths = [options.language === 'typescript' ? 'dist' : 'src', 'node_modules', 'package.json', ...(p.vpc ? ['global-bundle.pem'] : [])];
    s.push(`  npm ci --omit=dev${options.language === 'typescript' ? ' --ignore-scripts' : ''}`);
    s.push(`  zip -qr function.zip ${paths.join(' ')}`);
  } else {
    s.push('  rm -rf build && mkdir build');
    s.push('  pip install -r app/requirements.txt -t build --platform manylinux2014_x86_64 --only-binary=:all: --quiet');
    s.push(`  cp app/handler.py ${p.vpc ? 'app/global-bundle.pem ' : p.dsql ? 'app/AmazonRootCA1.pem ' : ''}build/`);
    s.push('  (cd build && zip -qr ../function.zip .)');
  }
  s.push('fi', '');

  s.push('role_arn() { # name, trust policy: the role ARN, created if missing');
  s.push('  aws iam get-role --role-name "$1" --query Role.Arn --output text 2>/dev/null ||');
  s.push('    aws iam create-role --role-name "$1" --assume-role-policy-document "$2" --query Role.Arn --output text');
  s.push('}');
  if (p.vpc) {
    s.push('security_group() { # name, description: the group id, created (with no egress) if missing');
    s.push('  local id');
    s.push('  id="$(aws ec2 describe-security-groups --filters "Name=vpc-id,Values=$VPC_ID" "Name=group-name,Values=$1" --query "SecurityGroups[0].GroupId" --output text)"');
    s.push('  if [ "$id" = None ] || [ -z "$id" ]; then');
    s.push('    id="$(aws ec2 create-security-group --group-name "$1" --description "$2" --vpc-id "$VPC_ID" --query GroupId --output text)"');
    s.push(`    aws ec2 revoke-security-group-egress --group-id "$id" --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' >/dev/null`);
    s.push('  fi');
    s.push('  echo "$id"');
    s.push('}');
    s.push('allow() { # direction, group, port, peer group: adds the rule unless it exists');
    s.push('  aws ec2 "authorize-security-group-$1" --group-id "$2" \\');
    s.push(`    --ip-permissions "[{\\"IpProtocol\\":\\"tcp\\",\\"FromPort\\":$3,\\"ToPort\\":$3,\\"UserIdGroupPairs\\":[{\\"GroupId\\":\\"$4\\"}]}]" >/dev/null 2>&1 || true`);
    s.push('}');
  }
  s.push('');

  if (p.vpc) {
    s.push('# 2. Network: the function may only reach PostgreSQL' + (p.functionReadsSecret ? ' and Secrets Manager (HTTPS).' : '.'));
    s.push('FUNCTION_SG="$(security_group "$NAME-function" "Lambda function: out to PostgreSQL only")"');
    if (p.proxy) {
      s.push('PROXY_SG="$(security_group "$NAME-proxy" "RDS Proxy: in from the function, out to the database")"');
      s.push('allow egress "$FUNCTION_SG" 5432 "$PROXY_SG"');
      s.push('allow ingress "$PROXY_SG" 5432 "$FUNCTION_SG"');
      s.push('allow egress "$PROXY_SG" 5432 "$DATABASE_SECURITY_GROUP_ID"');
      s.push('allow ingress "$DATABASE_SECURITY_GROUP_ID" 5432 "$PROXY_SG"');
    } else {
      s.push('allow egress "$FUNCTION_SG" 5432 "$DATABASE_SECURITY_GROUP_ID"');
      s.push('allow ingress "$DATABASE_SECURITY_GROUP_ID" 5432 "$FUNCTION_SG"');
    }
    if (p.functionReadsSecret) {
      s.push(`aws ec2 authorize-security-group-egress --group-id "$FUNCTION_SG" --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"Secrets Manager over HTTPS"}]}]' >/dev/null 2>&1 || true`);
    }
    s.push('');
  }

  if (p.proxy) {
    s.push('# 3. RDS Proxy. create-db-proxy takes no pool settings: they belong to the target group.');
    s.push(`PROXY_ROLE_ARN="$(role_arn "$NAME-proxy" '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"rds.amazonaws.com"},"Action":"sts:AssumeRole"}]}')"`);
    s.push('aws iam put-role-policy --role-name "$NAME-proxy" --policy-name read-database-secret \\');
    s.push(`  --policy-document "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"secretsmanager:GetSecretValue\\",\\"Resource\\":\\"$DB_SECRET_ARN\\"}]}"`);
    s.push('if ! aws rds describe-db-proxies --db-proxy-name "$NAME" >/dev/null 2>&1; then');
    s.push('  # shellcheck disable=SC2086 # SUBNETS is a list');
    s.push('  aws rds create-db-proxy --db-proxy-name "$NAME" --engine-family POSTGRESQL \\');
    s.push(`    --auth "AuthScheme=SECRETS,SecretArn=$DB_SECRET_ARN,IAMAuth=${p.iamDb ? 'REQUIRED' : 'DISABLED'},ClientPasswordAuthType=POSTGRES_SCRAM_SHA_256" \\`);
    s.push('    --role-arn "$PROXY_ROLE_ARN" --vpc-subnet-ids $SUBNETS --vpc-security-group-ids "$PROXY_SG" \\');
    s.push(`    --require-tls --idle-client-timeout ${proxyConfiguration.idleClientTimeout.value} >/dev/null`);
    s.push('fi');
    s.push('for _ in $(seq 60); do');
    s.push('  [ "$(aws rds describe-db-proxies --db-proxy-name "$NAME" --query "DBProxies[0].Status" --output text)" = available ] && break');
    s.push('  sleep 10');
    s.push('done');
    s.push('aws rds modify-db-proxy-target-group --db-proxy-name "$NAME" --target-group-name default \\');
    s.push(`  --connection-pool-config MaxConnectionsPercent=${proxyConfiguration.maxConnectionsPercent.value},MaxIdleConnectionsPercent=${proxyConfiguration.maxIdleConnectionsPercent.value},ConnectionBorrowTimeout=${proxyConfiguration.connectionBorrowTimeout.value} >/dev/null`);
    s.push(
      p.aurora
        ? 'aws rds register-db-proxy-targets --db-proxy-name "$NAME" --db-cluster-identifiers "$DB_CLUSTER_IDENTIFIER" >/dev/null 2>&1 || true # already registered on a re-run'
        : 'aws rds register-db-proxy-targets --db-proxy-name "$NAME" --db-instance-identifiers "$DB_INSTANCE_IDENTIFIER" >/dev/null 2>&1 || true # already registered on a re-run',
    );
    s.push('PROXY_ARN="$(aws rds describe-db-proxies --db-proxy-name "$NAME" --query "DBProxies[0].DBProxyArn" --output text)"');
    s.push('PROXY_ENDPOINT="$(aws rds describe-db-proxies --db-proxy-name "$NAME" --query "DBProxies[0].Endpoint" --output text)"');
    s.push('PROXY_RESOURCE_ID="${PROXY_ARN##*:}" # prx-…: rds-db:connect names the proxy by this id');
    s.push('');
  }
  if (p.dataApi) {
    s.push('# 3. The Data API must already be enabled on the cluster.');
    s.push('if [ "$(aws rds describe-db-clusters --db-cluster-identifier "$DB_CLUSTER_IDENTIFIER" --query "DBClusters[0].HttpEndpointEnabled" --output text)" != True ]; then');
    s.push('  echo "Enable the Data API on $DB_CLUSTER_IDENTIFIER first (console: Modify, Data API; or aws rds enable-http-endpoint)." >&2');
    s.push('  exit 1');
    s.push('fi');
    s.push('DB_CLUSTER_ARN="arn:$PARTITION:rds:$REGION:$ACCOUNT_ID:cluster:$DB_CLUSTER_IDENTIFIER"');
    s.push('');
  }
  if (p.queue) {
    s.push('# 3. The queue and its dead-letter queue.');
    s.push('DLQ_URL="$(aws sqs create-queue --queue-name "$NAME-dlq" --attributes MessageRetentionPeriod=1209600 --query QueueUrl --output text)"');
    s.push('DLQ_ARN="$(aws sqs get-queue-attributes --queue-url "$DLQ_URL" --attribute-names QueueArn --query Attributes.QueueArn --output text)"');
    s.push(`# AWS advises a visibility timeout of at least six times the function timeout.`);
    s.push(
      `QUEUE_URL="$(aws sqs create-queue --queue-name "$NAME" --attributes "{\\"VisibilityTimeout\\":\\"${functionSettings.timeout.value * 6}\\",\\"RedrivePolicy\\":\\"{\\\\\\"deadLetterTargetArn\\\\\\":\\\\\\"$DLQ_ARN\\\\\\",\\\\\\"maxReceiveCount\\\\\\":5}\\"}" --query QueueUrl --output text)"`,
    );
    s.push('QUEUE_ARN="$(aws sqs get-queue-attributes --queue-url "$QUEUE_URL" --attribute-names QueueArn --query Attributes.QueueArn --output text)"');
    s.push('');
  }
  if (p.table) {
    s.push('# 3. The table.');
    s.push('if ! aws dynamodb describe-table --table-name orders >/dev/null 2>&1; then');
    s.push('  aws dynamodb create-table --table-name orders --billing-mode PAY_PER_REQUEST \\');
    s.push('    --attribute-definitions AttributeName=customerId,AttributeType=S AttributeName=orderId,AttributeType=S \\');
    s.push('    --key-schema AttributeName=customerId,KeyType=HASH AttributeName=orderId,KeyType=RANGE >/dev/null');
    s.push('  aws dynamodb wait table-exists --table-name orders');
    s.push('fi');
    s.push('TABLE_ARN="$(aws dynamodb describe-table --table-name orders --query Table.TableArn --output text)"');
    s.push('');
  }

  if (p.dsql) {
    s.push('# 3. The Aurora DSQL cluster, tagged with the stack name so a re-run finds it. Deletion protection on:');
    s.push('# it holds the orders.');
    s.push(`CLUSTER_ID="$(aws dsql list-clusters --query "clusters[].identifier" --output text | tr '\\t' '\\n' | while read -r id; do`);
    s.push('  if [ -n "$id" ] && [ "$(aws dsql get-cluster --identifier "$id" --query "tags.Name" --output text)" = "$NAME" ]; then echo "$id"; fi');
    s.push('done | head -n 1)"');
    s.push('if [ -z "$CLUSTER_ID" ]; then');
    s.push('  CLUSTER_ID="$(aws dsql create-cluster --deletion-protection-enabled --tags "Name=$NAME" --query identifier --output text)"');
    s.push('fi');
    s.push('aws dsql wait cluster-active --identifier "$CLUSTER_ID"');
    s.push('CLUSTER_ENDPOINT="$(aws dsql get-cluster --identifier "$CLUSTER_ID" --query endpoint --output text)"');
    s.push('');
  }
  s.push('# 4. The function role: logs' + (p.vpc && !onManagedInstances(options) ? ', VPC network interfaces' : '') + ', and exactly the resources the handler uses.');
  s.push(`ROLE_ARN="$(role_arn "$NAME-function" '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')"`);
  s.push(`aws iam attach-role-policy --role-name "$NAME-function" --policy-arn "arn:$PARTITION:iam::aws:policy/${executionRolePolicy(options)}"`);
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: statements(options).map((st) => ({ Sid: st.sid, Effect: 'Allow', Action: st.actions, Resource: st.resources.map((r) => renderArn(r, shParts)) })),
  });
  s.push(`POLICY="$(cat <<JSON\n${policy}\nJSON\n)"`);
  s.push('aws iam put-role-policy --role-name "$NAME-function" --policy-name orders-access --policy-document "$POLICY"');
  s.push('');

  const managed = onManagedInstances(options);
  if (managed) {
    s.push('# 4b. The capacity provider: Lambda assumes the operator role to launch its instances into the');
    s.push("#     function's subnets, with the function's security group.");
    s.push(`OPERATOR_ROLE_ARN="$(role_arn "$NAME-operator" '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"${managedInstances.operatorRoleService.value}"},"Action":"sts:AssumeRole"}]}')"`);
    s.push(`aws iam attach-role-policy --role-name "$NAME-operator" --policy-arn "arn:$PARTITION:iam::aws:policy/${operatorRolePolicy}"`);
    s.push('if ! aws lambda get-capacity-provider --capacity-provider-name "$NAME" >/dev/null 2>&1; then');
    s.push('  # A new role takes a few seconds to become usable by Lambda.');
    s.push('  for attempt in 1 2 3 4 5 6; do');
    s.push('    aws lambda create-capacity-provider --capacity-provider-name "$NAME" \\');
    s.push('      --vpc-config "SubnetIds=$SUBNET_IDS,SecurityGroupIds=$FUNCTION_SG" \\');
    s.push('      --permissions-config "CapacityProviderOperatorRoleArn=$OPERATOR_ROLE_ARN" >/dev/null && break');
    s.push('    [ "$attempt" = 6 ] && exit 1');
    s.push('    sleep 10');
    s.push('  done');
    s.push('fi');
    s.push('for attempt in $(seq 60); do');
    s.push('  STATE="$(aws lambda get-capacity-provider --capacity-provider-name "$NAME" --query CapacityProvider.State --output text)"');
    s.push('  [ "$STATE" = Active ] && break');
    s.push('  if [ "$STATE" = Failed ] || [ "$attempt" = 60 ]; then echo "Capacity provider $NAME is $STATE" >&2; exit 1; fi');
    s.push('  sleep 10');
    s.push('done');
    s.push('CAPACITY_PROVIDER_ARN="$(aws lambda get-capacity-provider --capacity-provider-name "$NAME" --query CapacityProvider.CapacityProviderArn --output text)"');
    s.push('');
  }

  const env = environment(options)
    .map(([name, value]) => {
      const v = 'literal' in value ? value.literal : 'input' in value ? `$${shout(value.input)}` : value.ref === 'proxyEndpoint' ? '$PROXY_ENDPOINT' : value.ref === 'tableName' ? 'orders' : value.ref === 'dsqlEndpoint' ? '$CLUSTER_ENDPOINT' : '$DB_CLUSTER_ARN';
      return `\\"${name}\\":\\"${v}\\"`;
    })
    .join(',');
  s.push('# 5. The function.');
  s.push(`ENVIRONMENT="{\\"Variables\\":{${env}}}"`);
  // On Managed Instances the network is the capacity provider's; the function has no VPC config.
  const placement = managed ? ' --capacity-provider-config "$CAPACITY_PROVIDER_CONFIG"' : p.vpc ? ' --vpc-config "$VPC_CONFIG"' : '';
  if (managed) {
    s.push(`CAPACITY_PROVIDER_CONFIG="LambdaManagedInstancesCapacityProviderConfig={CapacityProviderArn=$CAPACITY_PROVIDER_ARN,ExecutionEnvironmentMemoryGiBPerVCpu=${managedInstancesFunction.memoryGiBPerVcpu}}"`);
  } else if (p.vpc) s.push('VPC_CONFIG="SubnetIds=$SUBNET_IDS,SecurityGroupIds=$FUNCTION_SG"');
  s.push('if aws lambda get-function --function-name "$NAME" >/dev/null 2>&1; then');
  s.push('  aws lambda update-function-code --function-name "$NAME" --zip-file fileb://function.zip >/dev/null');
  s.push('  aws lambda wait function-updated --function-name "$NAME"');
  s.push(`  aws lambda update-function-configuration --function-name "$NAME" --environment "$ENVIRONMENT"${placement} >/dev/null`);
  s.push('else');
  s.push('  # A new role takes a few seconds to become usable by Lambda.');
  s.push('  for attempt in 1 2 3 4 5 6; do');
  s.push(`    aws lambda create-function --function-name "$NAME" --runtime ${options.runtime} --handler ${layout.handler} \\`);
  s.push(`      --role "$ROLE_ARN" --zip-file fileb://function.zip --timeout ${functionSettings.timeout.value} --memory-size ${functionMemoryMb(options)} \\`);
  s.push(`      --environment "$ENVIRONMENT"${placement} >/dev/null && break`);
  s.push('    [ "$attempt" = 6 ] && exit 1');
  s.push('    sleep 10');
  s.push('  done');
  s.push('fi');
  if (managed) {
    s.push('# Unqualified invocations run $LATEST.PUBLISHED on Managed Instances: publish what was just deployed.');
    s.push('aws lambda wait function-active-v2 --function-name "$NAME"');
    s.push('aws lambda wait function-updated-v2 --function-name "$NAME"');
    s.push('aws lambda publish-version --function-name "$NAME" --publish-to LATEST_PUBLISHED >/dev/null');
    s.push('# Environments × pool size is what the database sees: the maximum keeps it within the budget.');
    s.push(
      `aws lambda put-function-scaling-config --function-name "$NAME" --qualifier '${managedInstancesFunction.qualifier}' --function-scaling-config MinExecutionEnvironments=${managedInstancesFunction.minExecutionEnvironments},MaxExecutionEnvironments=$MAX_EXECUTION_ENVIRONMENTS >/dev/null`,
    );
  }
  if (p.queue) {
    s.push('');
    s.push('# 6. The queue feeds the function; at most this many batches (and database connections) at once.');
    s.push('if [ -z "$(aws lambda list-event-source-mappings --function-name "$NAME" --event-source-arn "$QUEUE_ARN" --query "EventSourceMappings[0].UUID" --output text | grep -v None)" ]; then');
    s.push(`  aws lambda create-event-source-mapping --function-name "$NAME" --event-source-arn "$QUEUE_ARN" \\`);
    s.push(`    --batch-size ${sqsEventSource.batchSize.value} --maximum-batching-window-in-seconds ${sqsEventSource.batchingWindow.value} \\`);
    s.push(`    --function-response-types ReportBatchItemFailures --scaling-config MaximumConcurrency=${sqsEventSource.maximumConcurrency.value} >/dev/null`);
    s.push('fi');
  }
  if (p.dsql) s.push('echo "Cluster endpoint: $CLUSTER_ENDPOINT"');
  s.push('echo "Deployed $NAME"');
  return s.join('\n') + '\n';
}
