/**
 * Turning a reader's parameter values into a run configuration: validation against the
 * definition (with the valid choices in every error) and the bindings into the config.
 */
import type { NumberParameter, Sandbox, SandboxParameter } from './schema.ts';

export type ParameterValues = Record<string, number | string>;

export class ParameterError extends Error {
  override name = 'ParameterError';
}

const range = (p: NumberParameter): string => `${p.min}..${p.max} ${p.unit}`;

export function describeParameter(p: SandboxParameter): string {
  if (p.kind === 'choice') return `${p.key}: one of ${p.choices.join(', ')} (default ${p.default})`;
  return `${p.key}: ${range(p)} (default ${p.default})`;
}

/** The defaults one version of the handler (the first when none is named) sets over the parameters' own. */
function versionDefaults(sandbox: Sandbox, variant: string | undefined): Readonly<Record<string, number | string>> {
  return (variant === undefined ? sandbox.variants[0] : sandbox.variants.find((v) => v.id === variant))?.parameters ?? {};
}

/**
 * Defaults (of `variant`, the first version when omitted) overlaid with `given`; values may be
 * strings (from a command line) for numeric parameters.
 */
export function resolveParameters(sandbox: Sandbox, given: Readonly<Record<string, number | string>> = {}, variant?: string): ParameterValues {
  const values: ParameterValues = {};
  const defaults = versionDefaults(sandbox, variant);
  const byKey = new Map(sandbox.parameters.map((p) => [p.key, p]));
  for (const key of Object.keys(given)) {
    if (!byKey.has(key)) {
      const valid = sandbox.parameters.map(describeParameter).join('\n  ');
      throw new ParameterError(`unknown parameter '${key}' for sandbox ${sandbox.id}. Valid parameters:\n  ${valid || '(none)'}`);
    }
  }
  for (const p of sandbox.parameters) {
    const raw = given[p.key] ?? defaults[p.key] ?? p.default;
    if (p.kind === 'choice') {
      const value = String(raw);
      if (!p.choices.includes(value)) throw new ParameterError(`invalid value '${value}' for ${p.key}. Valid choices: ${p.choices.join(', ')}`);
      values[p.key] = value;
      continue;
    }
    const value = typeof raw === 'number' ? raw : Number(raw);
    if (typeof raw === 'string' && (raw.trim() === '' || !Number.isFinite(value))) throw new ParameterError(`invalid value '${raw}' for ${p.key}: expected a number in ${range(p)}`);
    if (value < p.min || value > p.max) throw new ParameterError(`value ${value} for ${p.key} is out of range: valid range ${range(p)}`);
    if (p.step !== undefined && Number.isInteger(p.step) && !Number.isInteger(value)) throw new ParameterError(`value ${value} for ${p.key} must be a whole number (${range(p)})`);
    values[p.key] = value;
  }
  return values;
}

/**
 * The values a reader's controls should hold after switching from one version of the handler to
 * another: a value the reader left at `from`'s default becomes `to`'s default, and one they chose
 * stays. Also what "Compare all variants" runs each version with.
 */
export function carryParameters(sandbox: Sandbox, values: Readonly<ParameterValues>, from: string, to: string): ParameterValues {
  const [fromDefaults, toDefaults] = [versionDefaults(sandbox, from), versionDefaults(sandbox, to)];
  const carried: ParameterValues = { ...values };
  for (const p of sandbox.parameters) {
    if (values[p.key] === undefined || String(values[p.key]) === String(fromDefaults[p.key] ?? p.default)) carried[p.key] = toDefaults[p.key] ?? p.default;
  }
  return carried;
}

/** Writes `value` at a dotted path (`traffic.0.concurrency`, `lambda.env.POOL_MAX`) of a plain object tree. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object') throw new ParameterError(`binding ${path}: ${part} is not an object`);
    node = next as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (!(last in node) && !path.includes('.env.')) throw new ParameterError(`binding ${path}: no such field`);
  const current = node[last];
  node[last] = typeof current === 'string' || path.includes('.env.') ? String(value) : value;
}

/** The definition with every parameter's value, as `resolveParameters` returns it, written where it binds (numbers scaled to the engine's unit). */
export function applyParameters(sandbox: Sandbox, values: ParameterValues): Sandbox {
  const copy = structuredClone(sandbox) as unknown as Record<string, unknown>;
  for (const p of sandbox.parameters) {
    const value = values[p.key]!;
    for (const path of p.binds) setPath(copy, path, p.kind === 'number' ? Number(value) * p.scale : value);
  }
  return copy as unknown as Sandbox;
}
