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
      if (group.members[0]!.auth === 'iam') expect(main).toContain(':rds-db:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:dbuser:${local.proxy_resource_id}/${var.db_user}');
    }
  }, 300_000);
});
