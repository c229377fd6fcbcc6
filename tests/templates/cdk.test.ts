/**
 * Every generated CDK app type-checked against its own pinned dependencies (aws-cdk-lib,
 * constructs, typescript from infra/package.json, installed once into the cache). The distinct
 * stacks are checked in one TypeScript program, each in its own folder with the project's own
 * tsconfig options, which is what `tsc -p infra` would do for each of them.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { allProjects, groupBy, installDependencies, scratch, writeProject } from './support/projects.ts';

const run = promisify(execFile);
const cdkProjects = allProjects().filter((p) => p.options.iac === 'cdk');
const groups = groupBy(cdkProjects, (path) => path.startsWith('infra/bin/') || path.startsWith('infra/lib/'));

describe(`CDK apps (${cdkProjects.length} combinations, ${groups.length} distinct stacks)`, () => {
  it('share one pinned dependency set and one compiler configuration', () => {
    const manifests = new Set(cdkProjects.map((p) => { const pkg = JSON.parse(p.files.find((f) => f.path === 'infra/package.json')!.contents); return JSON.stringify([pkg.dependencies, pkg.devDependencies]); }));
    expect(manifests.size).toBe(1);
    const tsconfigs = new Set(cdkProjects.map((p) => p.files.find((f) => f.path === 'infra/tsconfig.json')!.contents.replace(/^\/\/.*\n/gm, '')));
    expect(tsconfigs.size).toBe(1);
  });

  it('put Managed Instances functions on a capacity provider with the function\'s subnets and security group, and no other function', () => {
    const managed = cdkProjects.filter((p) => p.options.compute === 'managed-instances');
    expect(managed.length).toBeGreaterThan(0);
    for (const { options, files } of cdkProjects) {
      const stack = files.find((f) => f.path === 'infra/lib/orders-stack.ts')!.contents;
      if (options.compute !== 'managed-instances') {
        expect(stack).not.toContain('CapacityProvider');
        expect(stack).not.toContain('FunctionScalingConfig');
        continue;
      }
      expect(stack).toContain("managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSLambdaManagedEC2ResourceOperator')]");
      expect(stack).toContain("new lambda.CapacityProvider(this, 'CapacityProvider', { subnets, securityGroups: [functionSg], operatorRole })");
      expect(stack).toContain('capacityProvider.addFunction(fn, { executionEnvironmentMemoryGiBPerVCpu: 2 })');
      // Environments × DB_POOL_SHARE is what the database sees: the maximum comes from the context the wizard's budget sets.
      expect(stack).toContain("(fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('FunctionScalingConfig', {\n      MinExecutionEnvironments: 1,\n      MaxExecutionEnvironments: Number(ctx.maxExecutionEnvironments),\n    });");
      expect(stack).toContain('memorySize: 2048');
      expect(stack).not.toContain('vpcSubnets');
    }
  });

  it('type-check against aws-cdk-lib with the projects\' compiler options', async () => {
    const first = cdkProjects[0]!.files;
    const deps = await installDependencies(first.find((f) => f.path === 'infra/package.json')!.contents);
    const workspace = scratch('cdk');
    symlinkSync(join(deps, 'node_modules'), join(workspace, 'node_modules'), 'dir');
    // The projects' infra/package.json declares ES modules; the workspace says the same.
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ type: JSON.parse(first.find((f) => f.path === 'infra/package.json')!.contents).type }));
    const compilerOptions = JSON.parse(first.find((f) => f.path === 'infra/tsconfig.json')!.contents.replace(/^\/\/.*\n/gm, '')).compilerOptions;
    groups.forEach((group, i) => {
      const dir = join(workspace, `stack-${i}`);
      mkdirSync(dir);
      writeProject(dir, group.files.map((f) => ({ ...f, path: f.path.replace(/^infra\//, '') })));
    });
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['stack-*/bin', 'stack-*/lib'] }));
    const result = await run(join(workspace, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: workspace, maxBuffer: 16 << 20 }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? 'tsc failed',
    );
    expect(result).toBe('');
    // The check can fail: a wrong property on the target group is a type error.
    const broken = join(workspace, 'stack-broken');
    const proxyGroup = groups.find((g) => g.files.some((f) => f.contents.includes('CfnDBProxyTargetGroup')))!;
    writeProject(broken, proxyGroup.files.map((f) => ({ ...f, path: f.path.replace(/^infra\//, ''), contents: f.contents.replace('maxConnectionsPercent:', 'maxConnectionPercent:') })));
    writeFileSync(join(workspace, 'tsconfig.broken.json'), JSON.stringify({ compilerOptions, include: ['stack-broken/bin', 'stack-broken/lib'] }));
    const brokenResult = await run(join(workspace, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.broken.json'], { cwd: workspace }).then(() => '', (error: { stdout?: string }) => error.stdout ?? '');
    expect(brokenResult).toContain("'maxConnectionPercent' does not exist");
    expect(readFileSync(join(workspace, 'stack-0/lib/orders-stack.ts'), 'utf8')).toContain('export class OrdersStack');
  }, 600_000);
});
