/**
 * Every generated SAM template, parsed back from its YAML and checked against the CloudFormation
 * resource specification (with SAM's types), plus the lessons the templates must encode.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { samTemplate } from '../../src/templates/iac/sam.ts';
import { allProjects } from './support/projects.ts';
import { checkTemplate, loadCfnSpec } from './support/cfn-schema.ts';

const samProjects = allProjects().filter((p) => p.options.iac === 'sam');
let spec: Awaited<ReturnType<typeof loadCfnSpec>>;

beforeAll(async () => {
  spec = await loadCfnSpec();
}, 300_000);

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Parameters: Record<string, unknown> };

describe(`SAM templates (${samProjects.length} combinations)`, () => {
  it('round-trip through YAML unchanged and pass the CloudFormation/SAM schema check', () => {
    let checked = 0;
    for (const { options, files } of samProjects) {
      const yaml = files.find((f) => f.path === 'template.yaml')!.contents;
      const parsed = parse(yaml) as Template;
      expect(parsed, JSON.stringify(options)).toEqual(samTemplate(options));
      expect(checkTemplate(parsed as never, spec), JSON.stringify(options)).toEqual([]);
      checked++;
    }
    expect(checked).toBe(180);
  });

  it('declare the Aurora DSQL cluster, and the check knows its attributes (a wrong one fails)', () => {
    const template = structuredClone(samTemplate({ pattern: 'aurora-dsql', runtime: 'python3.13', language: 'python', auth: 'iam', iac: 'sam', database: 'rds-postgresql' })) as unknown as Template;
    expect(template.Resources.DsqlCluster).toEqual({ Type: 'AWS::DSQL::Cluster', Properties: { DeletionProtectionEnabled: true } });
    expect(template.Resources.OrderFunction!.Properties).not.toHaveProperty('VpcConfig');
    (template.Resources.OrderFunction!.Properties.Environment as { Variables: Record<string, unknown> }).Variables.DB_HOST = { 'Fn::GetAtt': ['DsqlCluster', 'Address'] };
    expect(checkTemplate(template as never, spec)).toContain('OrderFunction.Environment.Variables.DB_HOST: AWS::DSQL::Cluster has no attribute Address');
  });

  it('catches a wrong property, a missing required one and a dangling reference (the check can fail)', () => {
    const template = structuredClone(samTemplate({ pattern: 'rds-proxy', runtime: 'nodejs22.x', language: 'typescript', auth: 'iam', iac: 'sam', database: 'rds-postgresql' })) as unknown as Template;
    (template.Resources.Proxy!.Properties as Record<string, unknown>).MaxConnectionsPercent = 100;
    delete (template.Resources.Proxy!.Properties as Record<string, unknown>).EngineFamily;
    (template.Resources.OrderFunction!.Properties as Record<string, unknown>).Role = { Ref: 'NoSuchRole' };
    const errors = checkTemplate(template as never, spec);
    expect(errors).toContain('Proxy: AWS::RDS::DBProxy has no property MaxConnectionsPercent');
    expect(errors).toContain('Proxy: missing required EngineFamily');
    expect(errors.some((e) => e.includes('Ref to unknown "NoSuchRole"'))).toBe(true);
  });

  it('run Managed Instances functions on a capacity provider in the function\'s subnets and security group, and no other function', () => {
    const managed = samProjects.filter((p) => p.options.compute === 'managed-instances');
    expect(managed.length).toBeGreaterThan(0);
    for (const { options } of samProjects) {
      const t = samTemplate(options) as unknown as Template;
      const fn = t.Resources.OrderFunction!.Properties;
      if (options.compute !== 'managed-instances') {
        expect(t.Resources).not.toHaveProperty('CapacityProvider');
        expect(fn).not.toHaveProperty('CapacityProviderConfig');
        expect(fn).not.toHaveProperty('FunctionScalingConfig');
        continue;
      }
      expect(t.Resources.CapacityProvider).toEqual({
        Type: 'AWS::Lambda::CapacityProvider',
        Properties: {
          VpcConfig: { SubnetIds: { Ref: 'SubnetIds' }, SecurityGroupIds: [{ Ref: 'FunctionSecurityGroup' }] },
          PermissionsConfig: { CapacityProviderOperatorRoleArn: { 'Fn::GetAtt': ['CapacityProviderOperatorRole', 'Arn'] } },
        },
      });
      const operator = t.Resources.CapacityProviderOperatorRole!.Properties;
      expect(operator.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator' }]);
      expect(JSON.stringify(operator.AssumeRolePolicyDocument)).toContain('"Service":"lambda.amazonaws.com"');
      expect(fn).not.toHaveProperty('VpcConfig');
      expect(fn.MemorySize).toBe(2048);
      expect(fn.CapacityProviderConfig).toEqual({ Arn: { 'Fn::GetAtt': ['CapacityProvider', 'Arn'] }, ExecutionEnvironmentMemoryGiBPerVCpu: 2 });
      // Environments × DB_POOL_SHARE is what the database sees: both are parameters the wizard's budget sets.
      expect(fn.FunctionScalingConfig).toEqual({ MinExecutionEnvironments: 1, MaxExecutionEnvironments: { Ref: 'MaxExecutionEnvironments' } });
      expect(t.Parameters.MaxExecutionEnvironments).toMatchObject({ Type: 'Number', MinValue: 1, MaxValue: 15_000 });
    }
  });

  it('checks the capacity provider against the types transcribed for it (the check can fail)', () => {
    const template = structuredClone(samTemplate({ pattern: 'module-pool', runtime: 'nodejs22.x', language: 'typescript', auth: 'iam', iac: 'sam', database: 'rds-postgresql', compute: 'managed-instances' })) as unknown as Template;
    delete template.Resources.CapacityProvider!.Properties.PermissionsConfig;
    (template.Resources.OrderFunction!.Properties.CapacityProviderConfig as Record<string, unknown>).CapacityProviderArn = 'arn';
    (template.Resources.OrderFunction!.Properties.FunctionScalingConfig as Record<string, unknown>).MaxEnvironments = 3;
    const errors = checkTemplate(template as never, spec);
    expect(errors).toContain('CapacityProvider: missing required PermissionsConfig');
    expect(errors).toContain('OrderFunction.CapacityProviderConfig: CapacityProviderConfig has no property CapacityProviderArn');
    expect(errors).toContain('OrderFunction.FunctionScalingConfig: FunctionScalingConfig has no property MaxEnvironments');
  });

  it('put pool settings on the target group, never on the proxy, for PostgreSQL', () => {
    for (const { options } of samProjects.filter((p) => p.options.pattern === 'rds-proxy')) {
      const t = samTemplate(options) as unknown as Template;
      const proxy = t.Resources.Proxy!.Properties;
      expect(proxy.EngineFamily).toBe('POSTGRESQL');
      expect(Object.keys(proxy)).not.toContain('ConnectionPoolConfigurationInfo');
      const pool = t.Resources.ProxyTargetGroup!.Properties.ConnectionPoolConfigurationInfo as Record<string, unknown>;
      expect(pool).toMatchObject({ MaxConnectionsPercent: 80, MaxIdleConnectionsPercent: 10, ConnectionBorrowTimeout: 2 });
      expect(pool).not.toHaveProperty('SessionPinningFilters');
      expect((proxy.Auth as Array<Record<string, unknown>>)[0]!.IAMAuth).toBe(options.auth === 'iam' ? 'REQUIRED' : 'DISABLED');
    }
  });

  it('cap the queue consumer with MaximumConcurrency and report batch item failures', () => {
    for (const { options } of samProjects.filter((p) => p.options.pattern === 'sqs-batching')) {
      const mapping = (samTemplate(options) as unknown as Template).Resources.OrderQueueEventSource!.Properties;
      expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: 10 });
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(Number(mapping.BatchSize) > 10 ? Number(mapping.MaximumBatchingWindowInSeconds) : 1).toBeGreaterThanOrEqual(1);
    }
  });
});
