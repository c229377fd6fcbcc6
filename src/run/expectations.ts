/**
 * Evaluating a sandbox's expectations on a RunReport: the same check the tests run, available to
 * the page (to show "what to look for" as passed or not) and to the CLI.
 */
import type { Expectation, Expression, Sandbox } from '../sandboxes/schema.ts';
import { resolveParameters } from '../sandboxes/parameters.ts';
import type { RunReport } from './report.ts';

export interface CheckResult {
  text: string;
  left: number;
  right: number;
  passed: boolean;
}

export interface ExpectationResult {
  id: string;
  text: string;
  passed: boolean;
  checks: CheckResult[];
}

/** The report plus `errorsByCode` (code -> count), the paths expectations may use. */
export function evaluationContext(report: RunReport): Record<string, unknown> {
  const errorsByCode: Record<string, number> = {};
  for (const error of report.errors) errorsByCode[error.code] = (errorsByCode[error.code] ?? 0) + error.count;
  return { ...report, errorsByCode: new Proxy(errorsByCode, { get: (target, key) => (typeof key === 'string' ? (target[key] ?? 0) : undefined), has: () => true }) };
}

export function evaluate(expression: Expression, context: Record<string, unknown>): number {
  if (typeof expression === 'number') return expression;
  if (typeof expression === 'string') {
    let node: unknown = context;
    for (const part of expression.split('.')) {
      if (node === null || typeof node !== 'object' || !(part in (node as object))) throw new Error(`no value at ${expression}`);
      node = (node as Record<string, unknown>)[part];
    }
    if (typeof node !== 'number') throw new Error(`${expression} is not a number`);
    return node;
  }
  if ('product' in expression) return expression.product.reduce<number>((acc, e) => acc * evaluate(e, context), 1);
  if ('sum' in expression) return expression.sum.reduce<number>((acc, e) => acc + evaluate(e, context), 0);
  if ('min' in expression) return Math.min(...expression.min.map((e) => evaluate(e, context)));
  if ('max' in expression) return Math.max(...expression.max.map((e) => evaluate(e, context)));
  if ('difference' in expression) return evaluate(expression.difference[0], context) - evaluate(expression.difference[1], context);
  const [numerator, denominator] = expression.ratio;
  const d = evaluate(denominator, context);
  return d === 0 ? 0 : evaluate(numerator, context) / d;
}

const show = (e: Expression): string => (typeof e === 'number' || typeof e === 'string' ? String(e) : JSON.stringify(e));

export function checkExpectation(expectation: Expectation, report: RunReport): ExpectationResult {
  const context = evaluationContext(report);
  const checks = expectation.checks.map((check) => {
    const left = evaluate(check.left, context);
    const right = evaluate(check.right, context);
    const passed = check.op === '<' ? left < right : check.op === '<=' ? left <= right : check.op === '==' ? left === right : check.op === '>=' ? left >= right : left > right;
    return { text: `${show(check.left)} ${check.op} ${show(check.right)}`, left, right, passed };
  });
  return { id: expectation.id, text: expectation.text, passed: checks.every((c) => c.passed), checks };
}

/**
 * The expectations a run of `variant` with these parameter values is about: each expectation holds
 * for its variant at that variant's defaults overridden by its own `parameters`, so only those whose
 * values all match apply. Values outside the parameters' ranges match none.
 */
export function expectationsFor(sandbox: Sandbox, variant: string, values: Readonly<Record<string, number | string>>): Expectation[] {
  let given: Record<string, number | string>;
  try {
    given = resolveParameters(sandbox, values, variant);
  } catch {
    return [];
  }
  return sandbox.expectations.filter((expectation) => {
    if (expectation.variant !== variant) return false;
    const expected = resolveParameters(sandbox, expectation.parameters, expectation.variant);
    return Object.entries(expected).every(([key, value]) => given[key] === value);
  });
}

/** The words the page's checklist shows for an expectation. */
export const plainWords = (expectation: Expectation): string => expectation.plain ?? expectation.text;

/** The names `--expect` gives the report's most asked-for figures; any other report path works as written. */
const EXPECT_SHORTHANDS: Readonly<Record<string, string>> = {
  'peak-connections': 'database.peakConnections',
  p50: 'latencyMs.p50',
  p95: 'latencyMs.p95',
  p99: 'latencyMs.p99',
  'cold-starts': 'coldStarts',
};

export class ExpectationSyntaxError extends Error {
  override name = 'ExpectationSyntaxError';
}

/**
 * A check written on the command line: `no-errors` (nothing failed, nothing throttled), or
 * `<name or report path><op><number>` such as `peak-connections<=40`, `p99<=800`,
 * `errorsByCode.53300==0`. It becomes an Expectation like a sandbox's, checked the same way.
 */
export function parseExpectation(written: string): Expectation {
  const text = written.replace(/\s+/g, '');
  if (text === 'no-errors') {
    return {
      id: 'no-errors',
      text: 'no-errors',
      variant: '',
      parameters: {},
      checks: [
        { left: 'invocations.failed', op: '==', right: 0 },
        { left: 'invocations.throttled', op: '==', right: 0 },
      ],
    };
  }
  const match = /^([A-Za-z][\w.-]*?)(<=|>=|==|<|>)(-?\d+(?:\.\d+)?)$/.exec(text);
  if (!match) throw new ExpectationSyntaxError(`cannot read ${JSON.stringify(written)}: write no-errors, or a figure, a comparison and a number, such as peak-connections<=40 or p99<=800`);
  const [, name, op, number] = match;
  const path = EXPECT_SHORTHANDS[name!] ?? name!;
  return { id: 'expected', text, variant: '', parameters: {}, checks: [{ left: path, op: op as '<=' | '>=' | '==' | '<' | '>', right: Number(number) }] };
}
