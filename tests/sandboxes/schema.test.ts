import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parameterSchema, sandboxSchema } from '../../src/sandboxes/schema.ts';
import { ParameterError, applyParameters, carryParameters, resolveParameters } from '../../src/sandboxes/parameters.ts';
import { loadSandbox } from '../../src/sandboxes/load.node.ts';

/** Every property of every object in a JSON Schema, with its path. */
function properties(schema: unknown, path = '$'): Array<{ path: string; node: Record<string, unknown> }> {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const out: Array<{ path: string; node: Record<string, unknown> }> = [];
  for (const [key, value] of Object.entries((node.properties as Record<string, unknown>) ?? {})) {
    out.push({ path: `${path}.${key}`, node: value as Record<string, unknown> });
    out.push(...properties(value, `${path}.${key}`));
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
    const child = node[key];
    if (Array.isArray(child)) child.forEach((c, i) => out.push(...properties(c, `${path}.${key}[${i}]`)));
    else if (child && typeof child === 'object') out.push(...properties(child, `${path}.${key}`));
  }
  return out;
}

describe('sandbox schema', () => {
  it('documents every field', () => {
    const json = z.toJSONSchema(sandboxSchema, { io: 'input', unrepresentable: 'any' });
    const undocumented = properties(json)
      .filter(({ node }) => typeof node.description !== 'string' && !('$ref' in node))
      .map(({ path }) => path);
    expect(undocumented).toEqual([]);
  });

  it('resolves parameters with their ranges, units and choices, and binds them into the run configuration', () => {
    const { definition } = loadSandbox('stale-after-freeze');
    const values = resolveParameters(definition, { gap: '90', callers: 3, engineVersion: '15', maxConnections: '80' });
    expect(values).toEqual({ idleSessionTimeout: 60, gap: 90, callers: 3, maxConnections: 80, engineVersion: '15' });
    const config = applyParameters(definition, values);
    expect(config.database).toMatchObject({ engineVersion: '15', maxConnections: 80, tcpKeepalives: { idleMs: 300_000, intervalMs: 30_000, count: 2 } });
    expect(applyParameters(definition, resolveParameters(definition)).database).toMatchObject({ engineVersion: '18', maxConnections: 0 });
    expect(() => resolveParameters(definition, { engineVersion: '14' })).toThrow(/Valid choices: 15, 16, 17, 18/);
    expect(config.traffic[1]!.startMs).toBe(90_000);
    expect(config.traffic.map((t) => (t.kind === 'spike' ? t.concurrency : 0))).toEqual([3, 3]);
    expect(config.database.idleSessionTimeoutMs).toBe(60_000);
    expect(() => resolveParameters(definition, { gap: 500 })).toThrow(ParameterError);
    expect(() => resolveParameters(definition, { gap: 'soon' })).toThrow(/expected a number in 5\.\.120 s/);
    expect(() => resolveParameters(definition, { callers: 2.5 })).toThrow(/whole number/);
  });

  it('gives a variant defaults of its own, under what the reader gives', () => {
    const { definition } = loadSandbox('data-api');
    expect(resolveParameters(definition).concurrency).toBe(1000);
    expect(resolveParameters(definition, {}, 'data-api').concurrency).toBe(1000);
    // The 1 MiB lesson needs a few exports, not the spike's thousand callers (each SELECTs 3,000 rows).
    expect(resolveParameters(definition, {}, 'large-select').concurrency).toBe(3);
    expect(resolveParameters(definition, {}, 'paged-select').concurrency).toBe(3);
    expect(resolveParameters(definition, { concurrency: 50 }, 'large-select').concurrency).toBe(50);
    expect(resolveParameters(definition, {}, 'large-select').poolConnections).toBe(40);
  });

  it('carries a reader\'s choices from variant to variant, and moves the values they left at the defaults', () => {
    const { definition } = loadSandbox('data-api');
    const atDefaults = resolveParameters(definition, {}, 'data-api');
    const toExport = carryParameters(definition, atDefaults, 'data-api', 'large-select');
    expect(toExport).toEqual(resolveParameters(definition, {}, 'large-select'));
    expect(carryParameters(definition, toExport, 'large-select', 'data-api')).toEqual(atDefaults);
    const chosen = { ...atDefaults, concurrency: 50, poolConnections: 10 };
    expect(carryParameters(definition, chosen, 'data-api', 'large-select')).toEqual(chosen);
    // A form's values arrive as numbers or text; the same value either way is the same choice.
    expect(carryParameters(definition, { ...atDefaults, concurrency: '1000' }, 'data-api', 'paged-select').concurrency).toBe(3);
  });

  it('rejects a variant whose defaults name an unknown parameter', () => {
    const { definition } = loadSandbox('data-api');
    const broken = { ...definition, variants: [{ ...definition.variants[0]!, parameters: { callers: 3 } }, ...definition.variants.slice(1)] };
    const result = sandboxSchema.safeParse(broken);
    expect(result.error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/variant data-api: unknown parameter callers/)]);
  });

  it('rejects definitions whose expectations name unknown variants or parameters', () => {
    const { definition } = loadSandbox('module-pool');
    const broken = { ...definition, expectations: [{ ...definition.expectations[0]!, variant: 'nope', parameters: { poolSize: 1 } }] };
    const result = sandboxSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(/unknown variant nope/), expect.stringMatching(/unknown parameter poolSize/)]));
  });

  it('rejects a DSQL cluster meant for a variant the sandbox does not have', () => {
    const { definition } = loadSandbox('arena');
    expect(sandboxSchema.safeParse(definition).success).toBe(true);
    const broken = { ...definition, dsql: { ...definition.dsql!, variants: ['aurora-dsql', 'dsql'] } };
    expect(sandboxSchema.safeParse(broken).error?.issues.map((i) => i.message)).toEqual(['dsql.variants: unknown variant dsql']);
  });

  it('takes a parameter by its kind: a number needs a range holding its default, a choice needs choices holding its default', () => {
    const common = { key: 'poolMax', label: 'Pool size', description: 'Connections per environment.', unit: 'connections', binds: ['lambda.env.POOL_MAX'] };
    expect(parameterSchema.parse({ ...common, kind: 'number', default: 2, min: 1, max: 10 })).toMatchObject({ kind: 'number', min: 1, max: 10, scale: 1 });
    expect(parameterSchema.safeParse({ ...common, kind: 'number', default: 2, max: 10 }).success).toBe(false);
    expect(parameterSchema.safeParse({ ...common, kind: 'number', default: '2', min: 1, max: 10 }).success).toBe(false);
    expect(parameterSchema.safeParse({ ...common, kind: 'number', default: 20, min: 1, max: 10 }).error?.issues[0]?.message).toMatch(/default 20 is outside 1\.\.10/);
    expect(parameterSchema.parse({ ...common, kind: 'choice', default: 'b', choices: ['a', 'b'] })).toMatchObject({ kind: 'choice', choices: ['a', 'b'] });
    expect(parameterSchema.safeParse({ ...common, kind: 'choice', default: 'b' }).success).toBe(false);
    expect(parameterSchema.safeParse({ ...common, kind: 'choice', default: 'c', choices: ['a', 'b'] }).error?.issues[0]?.message).toMatch(/default c is not one of the choices a, b/);
    expect(parameterSchema.safeParse({ ...common, kind: 'slider', default: 2, min: 1, max: 10 }).success).toBe(false);
  });
});
