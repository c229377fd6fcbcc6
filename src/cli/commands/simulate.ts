/**
 * `connlab simulate <id>`: run a sandbox and print a summary, or the RunReport as JSON.
 * `connlab simulate --handler <file>`: the reader's own handler, bundled (src/cli/handler-bundle.ts),
 * put through one pattern's sandbox against their schema (src/run/own-handler.ts), printed with where
 * each error happened in their code and the doctor's findings for the file. `--expect` makes either a
 * CI check: exit 1 when an expectation fails.
 */
import type { Command, CommandIO } from '../command.ts';
import { keyValuePairs, numberOption, quote, UsageError } from '../arguments.ts';
import { readHandler, shown } from '../handler-files.ts';
import { bundleHandler, placeInSource, type SourcePlace } from '../handler-bundle.ts';
import { listSandboxIds, loadSandbox, UnknownSandboxError } from '../../sandboxes/load.node.ts';
import { ParameterError, describeParameter, resolveParameters } from '../../sandboxes/parameters.ts';
import type { Expectation, SandboxSource } from '../../sandboxes/schema.ts';
import { runReportSchema, type RunReport } from '../../run/report.ts';
import { formatNumber, summarizeRun, summaryText } from '../../run/summary.ts';
import { checkExpectation, ExpectationSyntaxError, parseExpectation, type ExpectationResult } from '../../run/expectations.ts';
import { OWN_HANDLER_PATTERNS, ownHandlerSandbox, type OwnHandlerPattern } from '../../run/own-handler.ts';
import type { RunCallbacks, RunRequest } from '../../run/run.ts';
import { analyze, languageOf } from '../../doctor/analyze.ts';
import { formatJson, formatText, type FileFindings } from '../../doctor/report.ts';

const usage = [
  'connlab simulate <sandbox> [--variant <id>] [--set key=value ...] [--seed N] [--expect <check> ...] [--json]',
  '       connlab simulate --handler <file> [--export <name>] [--pattern direct|module-pool|rds-proxy] [--setup-sql <file>] [--env KEY=VALUE ...] [--set key=value ...] [--seed N] [--expect <check> ...] [--json]',
  '',
  '--handler runs your own JavaScript or TypeScript handler file, its imports bundled with esbuild; pg, @aws-sdk/* and',
  '@aws-sdk/rds-signer come from the simulator. It runs the chosen pattern\'s sandbox (default module-pool): its traffic,',
  'instance and event, against a virtual database set up by --setup-sql (empty without it). PGHOST, PGPORT, PGUSER,',
  'PGPASSWORD and PGDATABASE name that database, so new pg.Client() with no settings connects; --env adds your own.',
  'Python handlers are checked by the doctor but not run.',
  '',
  '--expect no-errors | peak-connections<=N | p99<=MS | <report path><op><number> (e.g. errorsByCode.53300==0):',
  'exit 1 when one fails.',
].join('\n');

const PATTERNS = Object.keys(OWN_HANDLER_PATTERNS) as OwnHandlerPattern[];
const DEFAULT_PATTERN: OwnHandlerPattern = 'module-pool';
/** Options that only mean something for the reader's own handler. */
const HANDLER_ONLY = ['export', 'pattern', 'setup-sql', 'env'] as const;
/** The first segment of a path `--expect` may name: the report's sections and `errorsByCode`. */
const REPORT_ROOTS = new Set([...Object.keys(runReportSchema.shape), 'errorsByCode']);

export const command: Command = {
  summary: 'Run a sandbox, or your own handler file (--handler), on the engine and print what happened (or the RunReport with --json)',
  usage,
  options: {
    variant: { type: 'string', value: 'text' },
    set: { type: 'string', multiple: true, value: 'key=value' },
    seed: { type: 'string', value: 'number' },
    json: { type: 'boolean' },
    expect: { type: 'string', multiple: true, value: 'text' },
    handler: { type: 'string', value: 'path' },
    export: { type: 'string', value: 'text' },
    pattern: { type: 'string', value: 'text' },
    'setup-sql': { type: 'string', value: 'path' },
    env: { type: 'string', multiple: true, value: 'key=value' },
  },
  positionals: ['sandbox'],
  async run({ values, positionals }, io) {
    const parameters = keyValuePairs('set', (values.set as string[] | undefined) ?? []);
    const seed = values.seed === undefined ? undefined : numberOption('seed', values.seed as string, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
    const expectations = ((values.expect as string[] | undefined) ?? []).map(expectation);
    const [id] = positionals;
    if (values.handler !== undefined) {
      if (id !== undefined) throw new UsageError(`give a sandbox or --handler, not both (got ${quote(id)} and --handler)`);
      if (values.variant !== undefined) throw new UsageError('--variant picks a sandbox\'s handler; with --handler, your file is the handler');
      return simulateOwnHandler(values, { parameters, seed, expectations }, io);
    }
    const misplaced = HANDLER_ONLY.find((name) => values[name] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} goes with --handler <file>`);
    if (!id) throw new UsageError(`which sandbox? Valid sandboxes: ${listSandboxIds().join(', ')}, or --handler <file>`);
    const variant = values.variant as string | undefined;
    let sandbox: SandboxSource;
    try {
      sandbox = loadSandbox(id);
      if (variant !== undefined && !sandbox.definition.variants.some((v) => v.id === variant)) {
        throw new ParameterError(`unknown variant ${quote(variant)} for ${id}. Valid variants: ${sandbox.definition.variants.map((v) => v.id).join(', ')}`);
      }
      resolveParameters(sandbox.definition, parameters, variant);
    } catch (error) {
      if (error instanceof UnknownSandboxError || error instanceof ParameterError) throw new UsageError(error.message);
      throw error;
    }
    const report = await run({ sandbox, parameters, ...(variant !== undefined ? { variant } : {}), ...(seed !== undefined ? { seed } : {}) });
    const checked = expectations.map((e) => checkExpectation(e, report));
    io.stdout(values.json ? JSON.stringify(report, null, 2) : [summary(report, sandbox), ...expectationLines(checked)].join('\n'));
    return checked.every((c) => c.passed) ? 0 : 1;
  },
};

async function run(request: RunRequest, callbacks?: RunCallbacks): Promise<RunReport> {
  const [{ runSandbox }, { nodeHost }] = await Promise.all([import('../../run/run.ts'), import('../../engine/host/host.node.ts')]);
  return runSandbox(nodeHost, request, callbacks);
}

function expectation(written: string): Expectation {
  let parsed: Expectation;
  try {
    parsed = parseExpectation(written);
  } catch (error) {
    if (error instanceof ExpectationSyntaxError) throw new UsageError(`--expect ${error.message}`);
    throw error;
  }
  for (const check of parsed.checks) {
    const root = String(check.left).split('.')[0]!;
    if (!REPORT_ROOTS.has(root)) throw new UsageError(`--expect ${quote(written)}: the report has no ${quote(root)}; use no-errors, peak-connections, p50, p95, p99, cold-starts or a report path such as database.peakConnections`);
  }
  return parsed;
}

function expectationLines(checked: readonly ExpectationResult[]): string[] {
  if (checked.length === 0) return [];
  const lines = ['', 'Expectations:'];
  for (const result of checked) {
    const figures = result.checks.map((c) => `${c.text.split(' ')[0]} = ${formatNumber(c.left)}`).join(', ');
    lines.push(`  ${result.passed ? 'pass' : 'FAIL'}  ${result.text}  (${figures})`);
  }
  return lines;
}

/** Label-value rows, the labels padded to one width. */
function rows(context: ReadonlyArray<[string, string]>): string[] {
  const width = Math.max(...context.map(([k]) => k.length));
  return context.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
}

function summary(report: RunReport, sandbox: SandboxSource): string {
  const { definition } = sandbox;
  const variant = definition.variants.find((v) => v.id === report.variant);
  const context: Array<[string, string]> = [
    ['Sandbox', `${report.sandbox} / ${variant?.label ?? report.variant} (${report.variant}, ${report.handler}${report.edited ? ', edited' : ''})`],
    ['Parameters', Object.entries(report.parameters).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)'],
    ['Seed, virtual time', `${report.seed}, ${(report.virtualMs / 1000).toFixed(0)} s`],
    ['Wall time', `${formatNumber(Math.round(report.wallMs))} ms`],
  ];
  const lines = [definition.title, '', ...rows(context), '', summaryText(summarizeRun(report, variant?.label ?? report.variant))];
  lines.push('', `What to look for: ${definition.summary}`);
  const valid = definition.parameters.map(describeParameter);
  if (valid.length) lines.push('', 'Parameters (--set key=value):', ...valid.map((v) => `  ${v}`));
  return lines.join('\n');
}

/** An error group of the run with where its first occurrence was thrown in the reader's code. */
interface FailurePlace {
  code: string;
  message: string;
  count: number;
  at: SourcePlace | null;
}

async function simulateOwnHandler(values: Readonly<Record<string, unknown>>, given: { parameters: Record<string, string>; seed: number | undefined; expectations: Expectation[] }, io: CommandIO): Promise<number> {
  const path = values.handler as string;
  const exportName = (values.export as string | undefined) ?? 'handler';
  const patternName = (values.pattern as string | undefined) ?? DEFAULT_PATTERN;
  if (!(PATTERNS as string[]).includes(patternName)) throw new UsageError(`--pattern must be one of ${PATTERNS.join(', ')}, got ${quote(patternName)}`);
  const pattern = patternName as OwnHandlerPattern;
  const language = languageOf(path);
  if (!language) throw new UsageError(`${quote(path)} is in no language the simulator reads (.js, .mjs, .cjs, .ts, .mts, .cts; .py is checked, not run)`);
  const text = readHandler(path, path);
  const setupSql = values['setup-sql'] === undefined ? '' : readHandler(values['setup-sql'] as string, values['setup-sql'] as string);
  const env = keyValuePairs('env', (values.env as string[] | undefined) ?? []);
  const doctor = (deployment: { concurrency?: number; maxConnections?: number }): FileFindings[] => [
    { path: shown(path), findings: analyze(text, language, { handlerName: exportName === 'handler' && language === 'python' ? undefined : exportName, proxy: pattern === 'rds-proxy', ...deployment }).findings },
  ];

  if (language === 'python') {
    // Nothing runs Python here: the doctor's verdict is the answer, with its exit code.
    const files = doctor({});
    const note = `${shown(path)} is Python: the doctor checks it, the simulator does not run it (it runs JavaScript and TypeScript handlers).`;
    io.stdout(values.json ? JSON.stringify({ handler: shown(path), language, ran: false, note, doctor: JSON.parse(formatJson(files)) as unknown }, null, 2) : `${note}\n\n${formatText(files)}`);
    return files[0]!.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
  }

  const bundled = await bundleHandler(path, path, exportName);
  const sandbox = ownHandlerSandbox(loadSandbox(OWN_HANDLER_PATTERNS[pattern]), { file: bundled.file, code: bundled.code, setupSql, env });
  try {
    resolveParameters(sandbox.definition, given.parameters);
  } catch (error) {
    if (error instanceof ParameterError) throw new UsageError(`${error.message}; with --handler: ${sandbox.definition.parameters.map((p) => p.key).join(', ')}`);
    throw error;
  }
  const stacks = new Map<string, string | undefined>();
  const report = await run(
    { sandbox, parameters: given.parameters, handlerExport: exportName, errorStacks: true, ...(given.seed !== undefined ? { seed: given.seed } : {}) },
    {
      onFailure(error) {
        const key = `${error.code}\u0000${error.message}`;
        if (!stacks.has(key)) stacks.set(key, error.stack);
      },
    },
  );
  if (report.errors.some((error) => error.code === 'Runtime.HandlerNotFound')) throw new UsageError(`${quote(path)} has no export named ${quote(exportName)}; choose one with --export`);

  const failures: FailurePlace[] = report.errors.map(({ code, message, count }) => {
    const place = placeInSource(stacks.get(`${code}\u0000${message}`), bundled);
    return { code, message, count, at: place ? { ...place, path: shown(place.path) } : null };
  });
  const files = doctor({ concurrency: report.environments.peak, maxConnections: report.database.maxConnections - report.database.reservedConnections });
  const checked = given.expectations.map((e) => checkExpectation(e, report));
  if (values.json) {
    io.stdout(JSON.stringify({ handler: shown(path), export: exportName, pattern, report, failures, doctor: JSON.parse(formatJson(files)) as unknown, expectations: checked }, null, 2));
  } else {
    const context: Array<[string, string]> = [
      ['Handler', `${shown(path)} (export ${exportName}), bundled as ${bundled.file}`],
      ['Pattern', `${pattern}: the ${sandbox.definition.id} sandbox's traffic, instance and event`],
      ['Schema', values['setup-sql'] === undefined ? 'none (an empty database; give --setup-sql)' : shown(values['setup-sql'] as string)],
      ['Parameters', Object.entries(report.parameters).map(([k, v]) => `${k}=${v}`).join(' ')],
      ['Seed, virtual time', `${report.seed}, ${(report.virtualMs / 1000).toFixed(0)} s`],
      ['Wall time', `${formatNumber(Math.round(report.wallMs))} ms`],
    ];
    const lines = [...rows(context), '', summaryText(summarizeRun(report, bundled.file))];
    const placed = failures.filter((failure) => failure.at);
    if (placed.length) {
      lines.push('', 'Where in your code:');
      for (const { code, message, count, at } of placed) lines.push(`  ${at!.path}:${at!.line}:${at!.column}  ${code}  ${message} (${formatNumber(count)}×)`, `      ${at!.text}`);
    }
    lines.push('', 'Doctor:', formatText(files), ...expectationLines(checked));
    const valid = sandbox.definition.parameters.map(describeParameter);
    lines.push('', 'Parameters (--set key=value):', ...valid.map((v) => `  ${v}`));
    io.stdout(lines.join('\n'));
  }
  return checked.every((c) => c.passed) ? 0 : 1;
}
