/**
 * Every generated Terraform configuration parsed by HashiCorp's HCL parser (Go, compiled to WASM in
 * @cdktf/hcl2json; the terraform binary cannot be installed here) and checked for dangling
 * references: each var.X is declared, each resource or data reference names a declared block,
 * each local is defined. Then the lessons: pool settings on the default target group, exact ARNs.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allProjects, groupBy, installDependencies } from './support/projects.ts';

const terraformProjects = allProjects().filter((p) => p.options.iac === 'terraform');
const groups = groupBy(terraformProjects, (path) => path.startsWith('infra/'));
type Parse = (file: string, contents: string) => Promise<Record<string, unknown>>;
let parse: Parse;

beforeAll(async () => {
  const dir = await installDependencies(JSON.stringify({ devDependencies: { '@cdktf/hcl2json': '0.21.0' } }));
  parse = (createRequire(join(dir, 'package.json'))('@cdktf/hcl2json') as { parse: Parse }).parse;
}, 300_000);

type Blocks = Record<string, Record<string, unknown>>;

async function check(files: Array<{ path: string; contents: string }>): Promise<{ errors: string[]; parsed: Record<string, Record<string, unknown>> }> {
  const parsed: Record<string, Record<string, unknown>> = {};
  for (const file of files) parsed[file.path] = await parse(file.path, file.contents);
  const all = Object.values(parsed);
  const resources = new Set(all.flatMap((p) => Object.entries((p.resource ?? {}) as Blocks).flatMap(([type, named]) => Object.keys(named).map((name) => `${type}.${name}`))));
  const data = new Set(all.flatMap((p) => Object.entries((p.data ?? {}) as Blocks).flatMap(([type, named]) => Object.keys(named).map((name) => `data.${type}.${name}`))));
  const variables = new Set(all.flatMap((p) => Object.keys((p.variable ?? {}) as object)));
  const locals = new Set(all.flatMap((p) => ((p.locals ?? []) as object[]).flatMap((l) => Object.keys(l))));
  const errors: string[] = [];
  const text = files.map((f) => f.contents.replace(/^\s*#.*$/gm, '')).join('\n');
  for (const [, name] of text.matchAll(/\bvar\.([a-z_]+)/g)) if (!variables.has(name!)) errors.push(`var.${name} is not declared`);
  for (const [, name] of text.matchAll(/\blocal\.([a-z_]+)/g)) if (!locals.has(name!)) errors.push(`local.${name} is not defined`);
  for (const [ref] of text.matchAll(/\bdata\.[a-z_]+\.[a-z_]+/g)) if (!data.has(ref)) errors.push(`${ref} is not declared`);
  for (const [ref] of text.matchAll(/(?<![.\w"])aws_[a-z_]+\.[a-z_]+(?=\.)/g)) if (!resources.has(ref)) errors.push(`${ref} is not declared`);
  return { errors, parsed };
}

describe(`Terraform configurations (${terraformProjects.length} combinations, ${groups.length} distinct)`, () => {
  it('parse as HCL and every reference resolves', async () => {
    for (const group of groups) {
      const { errors } = await check(group.files);
      expect(errors, JSON.stringify(group.members[0])).toEqual([]);
    }
  }, 300_000);

  it('catch a dangling reference and a syntax error (the check can fail)', async () => {
    const files = groups[0]!.files.map((f) => (f.path === 'infra/main.tf' ? { ...f, contents: f.contents.replace('var.vpc_id', 'var.vpc') } : f));
    expect((await check(files)).errors).toContain('var.vpc is not declared');
    await expect(parse('main.tf', 'resource "aws_sqs_queue" "q" {\n  name = \n}\n')).rejects.toBeTruthy();
  });

  it('put the pool settings on the default target group and name exact ARNs', async () => {
    for (const group of groups.filter((g) => g.members[0]!.pattern === 'rds-proxy')) {
      const { parsed } = await check(group.files);
      const resource = parsed['infra/main.tf']!.resource as Record<string, Record<string, Array<Record<string, unknown>>>>;
      const proxy = resource.aws_db_proxy!.this![0]!;
      expect(proxy.engine_family).toBe('POSTGRESQL');
      expect(proxy).not.toHaveProperty('connection_pool_config');
      const pool = (resource.aws_db_proxy_default_target_group!.this![0]!.connection_pool_config as Array<Record<string, unknown>>)[0];
      expect(pool).toEqual({ max_connections_percent: 80, max_idle_connections_percent: 10, connection_borrow_timeout: 2 });
      const main = group.files.find((f) => f.path === 'infra/main.tf')!.contents;
      // hashicorp/aws 6 (which Managed Instances need) names the Region `region`; 5 names it `name`.
      const region = group.members[0]!.compute === 'managed-instances' ? 'region' : 'name';
      if (group.members[0]!.auth === 'iam') expect(main).toContain(`:rds-db:\${data.aws_region.current.${region}}:\${data.aws_caller_identity.current.account_id}:dbuser:\${local.proxy_resource_id}/\${var.db_user}`);
    }
  }, 300_000);

  it('run Managed Instances projects on a capacity provider in the function\'s subnets and security group', async () => {
    const managed = groups.filter((g) => g.members[0]!.compute === 'managed-instances');
    expect(managed.length).toBeGreaterThan(0);
    for (const group of groups) {
      const { parsed } = await check(group.files);
      const main = parsed['infra/main.tf']!;
      const resource = main.resource as Record<string, Record<string, Array<Record<string, unknown>>>>;
      const fn = resource.aws_lambda_function!.orders![0]!;
      const provider = (main.terraform as Array<{ required_providers: Array<{ aws: { version: string } }> }>)[0]!.required_providers[0]!.aws.version;
      if (!managed.includes(group)) {
        expect(resource).not.toHaveProperty('aws_lambda_capacity_provider');
        expect(fn).not.toHaveProperty('capacity_provider_config');
        expect(resource).not.toHaveProperty('aws_lambda_function_scaling_config');
        expect(provider).toBe('~> 5.80');
        continue;
      }
      // aws_lambda_function_scaling_config arrived in 6.54.0, after the capacity provider (6.24.0).
      expect(provider).toBe('>= 6.54.0, < 7.0.0');
      const capacityProvider = resource.aws_lambda_capacity_provider!.orders![0]!;
      expect(capacityProvider.vpc_config).toEqual([{ subnet_ids: '${var.subnet_ids}', security_group_ids: ['${aws_security_group.function.id}'] }]);
      expect(capacityProvider.permissions_config).toEqual([{ capacity_provider_operator_role_arn: '${aws_iam_role.capacity_provider_operator.arn}' }]);
      expect(resource.aws_iam_role_policy_attachment!.capacity_provider_operator![0]!.policy_arn).toBe('arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator');
      expect(resource.aws_iam_role_policy_attachment!.logs![0]!.policy_arn).toMatch(/service-role\/AWSLambdaBasicExecutionRole"?$/);
      expect(fn).not.toHaveProperty('vpc_config');
      expect(fn).toMatchObject({ memory_size: 2048, publish: true, publish_to: 'LATEST_PUBLISHED' });
      expect(fn.capacity_provider_config).toEqual([
        { lambda_managed_instances_capacity_provider_config: [{ capacity_provider_arn: '${aws_lambda_capacity_provider.orders.arn}', execution_environment_memory_gib_per_vcpu: 2 }] },
      ]);
      // Environments × DB_POOL_SHARE is what the database sees: the maximum is a variable the wizard's budget sets.
      expect(resource.aws_lambda_function_scaling_config!.orders![0]!).toEqual({
        function_name: '${aws_lambda_function.orders.function_name}',
        qualifier: '$LATEST.PUBLISHED',
        function_scaling_config: [{ min_execution_environments: 1, max_execution_environments: '${tonumber(var.max_execution_environments)}' }],
      });
    }
  }, 300_000);
});
