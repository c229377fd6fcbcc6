/**
 * AWS SAM: one template.yaml. Pool settings sit on AWS::RDS::DBProxyTargetGroup, the CloudFormation
 * face of modify-db-proxy-target-group; AWS::RDS::DBProxy has none.
 */
import type { GenerateOptions } from '../../vocabulary/choices.ts';
import { header } from '../project.ts';
import { environment, functionMemoryMb, iacKeys, inputs, managedInstancesFunction, onManagedInstances, operatorRolePolicy, pascal, plan, statements, codeLayout, renderArn, type ArnPart } from './model.ts';
import { managedInstances } from '../../facts/lambda.ts';
import { toYaml, type YamlValue } from './yaml.ts';
import { functionSettings, proxyConfiguration, sqsEventSource } from '../../facts/starter-code.ts';

const ref = (name: string) => ({ Ref: name });
const getAtt = (resource: string, attribute: string) => ({ 'Fn::GetAtt': [resource, attribute] });
const sub = (text: string) => ({ 'Fn::Sub': text });

/** CloudFormation spelling of the model's ARN placeholders, for use inside Fn::Sub. */
const subParts: Record<ArnPart, string> = {
  partition: '${AWS::Partition}',
  region: '${AWS::Region}',
  account: '${AWS::AccountId}',
  dbResourceId: '${DbResourceId}',
  dbUser: '${DbUser}',
  proxyResourceId: '${ProxyResourceId}',
  secretArn: '${DbSecretArn}',
  clusterId: '${DbClusterIdentifier}',
  queueArn: '${OrderQueue.Arn}',
  tableArn: '${OrdersTable.Arn}',
  dsqlClusterId: '${DsqlCluster.Identifier}',
};

/** Security group with AWS's default allow-all egress replaced by a rule that matches nothing. */
const closedEgress = [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }];

export function samTemplate(options: GenerateOptions): Record<string, YamlValue> {
  const p = plan(options);
  const parameters: Record<string, YamlValue> = {};
  for (const input of inputs(options)) {
    // MaxExecutionEnvironments is an Integer property: a Number parameter, within the API's range.
    const count = input.id === 'maxExecutionEnvironments';
    const type = input.id === 'vpcId' ? 'AWS::EC2::VPC::Id' : input.id === 'subnetIds' ? 'List<AWS::EC2::Subnet::Id>' : input.id === 'databaseSecurityGroupId' ? 'AWS::EC2::SecurityGroup::Id' : count ? 'Number' : 'String';
    parameters[pascal(input.id)] = {
      Type: type,
      Description: input.description,
      ...(input.default ? { Default: input.default } : {}),
      ...(input.pattern && type === 'String' ? { AllowedPattern: input.pattern } : {}),
      ...(count ? { MinValue: 1, MaxValue: managedInstances.maxExecutionEnvironmentsLimit.value } : {}),
    };
  }

  const resources: Record<string, YamlValue> = {};
  if (p.vpc) {
    resources.FunctionSecurityGroup = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'Lambda function: out to PostgreSQL only', VpcId: ref('VpcId'), SecurityGroupEgress: closedEgress },
    };
    const dbSide = p.proxy ? ref('ProxySecurityGroup') : ref('DatabaseSecurityGroupId');
    resources.FunctionToPostgresEgress = {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Properties: { GroupId: ref('FunctionSecurityGroup'), IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: dbSide, Description: 'PostgreSQL' },
    };
    if (p.functionReadsSecret) {
      resources.FunctionToSecretsManagerEgress = {
        Type: 'AWS::EC2::SecurityGroupEgress',
        Properties: { GroupId: ref('FunctionSecurityGroup'), IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'Secrets Manager over HTTPS (NAT gateway or interface endpoint)' },
      };
    }
    if (p.proxy) {
      resources.ProxySecurityGroup = {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'RDS Proxy: in from the function, out to the database',
          VpcId: ref('VpcId'),
          SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: ref('DatabaseSecurityGroupId'), Description: 'PostgreSQL' }],
        },
      };
      resources.ProxyIngressFromFunction = {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: ref('ProxySecurityGroup'), IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: ref('FunctionSecurityGroup'), Description: 'From the Lambda function' },
      };
    }
    resources.DatabaseIngress = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: ref('DatabaseSecurityGroupId'),
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: p.proxy ? ref('ProxySecurityGroup') : ref('FunctionSecurityGroup'),
        Description: p.proxy ? 'From RDS Proxy' : 'From the Lambda function',
      },
    };
  }
  if (p.proxy) {
    resources.ProxyRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [
          {
            PolicyName: 'ReadDatabaseSecret',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ref('DbSecretArn') }] },
          },
        ],
      },
    };
    resources.Proxy = {
      Type: 'AWS::RDS::DBProxy',
      Properties: {
        DBProxyName: sub('${AWS::StackName}-proxy'),
        EngineFamily: 'POSTGRESQL',
        Auth: [
          {
            AuthScheme: 'SECRETS',
            SecretArn: ref('DbSecretArn'),
            // Standard IAM mode: the function authenticates with a token, the proxy logs in with the secret.
            IAMAuth: p.iamDb ? 'REQUIRED' : 'DISABLED',
            ClientPasswordAuthType: 'POSTGRES_SCRAM_SHA_256',
          },
        ],
        RoleArn: getAtt('ProxyRole', 'Arn'),
        VpcSubnetIds: ref('SubnetIds'),
        VpcSecurityGroupIds: [ref('ProxySecurityGroup')],
        RequireTLS: true,
        IdleClientTimeout: proxyConfiguration.idleClientTimeout.value,
      },
    };
    resources.ProxyTargetGroup = {
      Type: 'AWS::RDS::DBProxyTargetGroup',
      Properties: {
        DBProxyName: ref('Proxy'),
        TargetGroupName: 'default',
        ...(p.aurora ? { DBClusterIdentifiers: [ref('DbClusterIdentifier')] } : { DBInstanceIdentifiers: [ref('DbInstanceIdentifier')] }),
        ConnectionPoolConfigurationInfo: {
          MaxConnectionsPercent: proxyConfiguration.maxConnectionsPercent.value,
          MaxIdleConnectionsPercent: proxyConfiguration.maxIdleConnectionsPercent.value,
          ConnectionBorrowTimeout: proxyConfiguration.connectionBorrowTimeout.value,
        },
      },
    };
  }
  if (p.queue) {
    resources.OrderDeadLetterQueue = { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1_209_600 } };
    resources.OrderQueue = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        // AWS advises a visibility timeout of at least six times the function timeout.
        VisibilityTimeout: functionSettings.timeout.value * 6,
        RedrivePolicy: { deadLetterTargetArn: getAtt('OrderDeadLetterQueue', 'Arn'), maxReceiveCount: 5 },
      },
    };
  }
  if (p.table) {
    resources.OrdersTable = {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'customerId', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
      },
    };
  }
  if (p.dsql) {
    // Deletion protection on: the cluster holds the orders, so deleting the stack must not drop it unasked.
    resources.DsqlCluster = { Type: 'AWS::DSQL::Cluster', Properties: { DeletionProtectionEnabled: true } };
  }

  const env: Record<string, YamlValue> = {};
  for (const [name, value] of environment(options)) {
    env[name] =
      'literal' in value
        ? value.literal
        : 'input' in value
          ? ref(pascal(value.input))
          : value.ref === 'proxyEndpoint'
            ? getAtt('Proxy', 'Endpoint')
            : value.ref === 'tableName'
              ? ref('OrdersTable')
              : value.ref === 'dsqlEndpoint'
                ? getAtt('DsqlCluster', 'Endpoint')
                : sub('arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${DbClusterIdentifier}');
  }
  const policyStatements = statements(options).map((statement) => {
    const arns = statement.resources.map((template) => renderArn(template, subParts));
    const needsProxyId = arns.some((arn) => arn.includes('${ProxyResourceId}'));
    return {
      Sid: statement.sid,
      Effect: 'Allow',
      Action: statement.actions,
      Resource: arns.map((arn) =>
        needsProxyId
          ? // The proxy resource id (prx-…) is the last field of the proxy ARN.
            { 'Fn::Sub': [arn, { ProxyResourceId: { 'Fn::Select': [6, { 'Fn::Split': [':', getAtt('Proxy', 'DBProxyArn')] }] } }] }
          : arn === '${DbSecretArn}'
            ? ref('DbSecretArn')
            : sub(arn),
      ),
    };
  });
  if (onManagedInstances(options)) {
    resources.CapacityProviderOperatorRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: managedInstances.operatorRoleService.value }, Action: 'sts:AssumeRole' }] },
        ManagedPolicyArns: [sub(`arn:\${AWS::Partition}:iam::aws:policy/${operatorRolePolicy}`)],
      },
    };
    // The instances run in the function's subnets with the function's security group.
    resources.CapacityProvider = {
      Type: 'AWS::Lambda::CapacityProvider',
      Properties: {
        VpcConfig: { SubnetIds: ref('SubnetIds'), SecurityGroupIds: [ref('FunctionSecurityGroup')] },
        PermissionsConfig: { CapacityProviderOperatorRoleArn: getAtt('CapacityProviderOperatorRole', 'Arn') },
      },
    };
  }
  const layout = codeLayout(options);
  resources.OrderFunction = {
    Type: 'AWS::Serverless::Function',
    Properties: {
      CodeUri: layout.codeDir === '.' ? './' : `${layout.codeDir}/`,
      Handler: layout.handler,
      Runtime: options.runtime,
      MemorySize: functionMemoryMb(options),
      Timeout: functionSettings.timeout.value,
      ...(onManagedInstances(options)
        ? {
            CapacityProviderConfig: { Arn: getAtt('CapacityProvider', 'Arn'), ExecutionEnvironmentMemoryGiBPerVCpu: managedInstancesFunction.memoryGiBPerVcpu },
            // Environments × pool size is what the database sees: the maximum keeps it within the budget.
            FunctionScalingConfig: { MinExecutionEnvironments: managedInstancesFunction.minExecutionEnvironments, MaxExecutionEnvironments: ref('MaxExecutionEnvironments') },
          }
        : p.vpc
          ? { VpcConfig: { SubnetIds: ref('SubnetIds'), SecurityGroupIds: [ref('FunctionSecurityGroup')] } }
          : {}),
      Environment: { Variables: env },
      Policies: [{ Version: '2012-10-17', Statement: policyStatements }],
    },
  };
  if (p.queue) {
    resources.OrderQueueEventSource = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: getAtt('OrderQueue', 'Arn'),
        FunctionName: ref('OrderFunction'),
        BatchSize: sqsEventSource.batchSize.value,
        MaximumBatchingWindowInSeconds: sqsEventSource.batchingWindow.value,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // At most this many batches run at once, so at most this many database connections.
        ScalingConfig: { MaximumConcurrency: sqsEventSource.maximumConcurrency.value },
      },
    };
  }

  const outputs: Record<string, YamlValue> = { FunctionName: { Value: ref('OrderFunction') } };
  if (p.proxy) outputs.ProxyEndpoint = { Value: getAtt('Proxy', 'Endpoint') };
  if (p.queue) outputs.QueueUrl = { Value: ref('OrderQueue') };
  if (p.table) outputs.TableName = { Value: ref('OrdersTable') };
  if (p.dsql) outputs.ClusterEndpoint = { Value: getAtt('DsqlCluster', 'Endpoint') };

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `Orders function: ${options.pattern} (${options.runtime}, ${options.auth})`,
    Parameters: parameters,
    Resources: resources,
    Outputs: outputs,
  };
}

export function samFiles(options: GenerateOptions): Array<{ path: string; contents: string }> {
  return [
    { path: 'template.yaml', contents: header('hash', options, iacKeys(options), 'the AWS SAM template.') + toYaml(samTemplate(options)) },
    {
      path: 'samconfig.toml',
      contents:
        header('hash', options, ['pattern', 'iac'], 'defaults for sam deploy.') +
        'version = 0.1\n\n[default.deploy.parameters]\nstack_name = "orders-' + options.pattern + '"\ncapabilities = "CAPABILITY_IAM"\nconfirm_changeset = true\nresolve_s3 = true\n',
    },
  ];
}
