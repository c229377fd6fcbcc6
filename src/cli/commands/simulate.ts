/**
 * `connlab simulate <id>`: run a sandbox and print a summary, or the RunReport as JSON.
 */
import type { Command, CommandIO } from '../main.ts';
import { listSandboxIds, loadSandbox, UnknownSandboxError } from '../../sandboxes/load.ts';
import { ParameterError, describeParameter, resolveParameters } from '../../sandboxes/parameters.ts';
import type { SandboxSource } from '../../sandboxes/schema.ts';
import type { RunReport } from '../../run/report.ts';
import { proxySummaryRows } from '../proxy-summary.ts';
import { servicesSummaryRows } from '../services-summary.ts';

const usage = 'connlab simulate <sandbox> [--variant <id>] [--set key=value ...] [--seed N] [--json]';

interface Options {
  id: string;
  variant?: string;
  parameters: Record<string, string>;
  seed?: number;
  json: boolean;
}

function parse(args: string[], io: CommandIO): Options | null {
  const options: Options = { id: '', parameters: {}, json: false };
  const fail = (text: string) => {
    io.stderr(`connlab simulate: ${text}\nUsage: ${usage}`);
    return null;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => args[++i];
    if (arg === '--json') options.json = true;
    else if (arg === '--set') {
      const pair = value();
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq <= 0) return fail(`--set expects key=value, got '${pair ?? ''}'`);
      options.parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg.startsWith('--set=')) {
      const pair = arg.slice(6);
      const eq = pair.indexOf('=');
      if (eq <= 0) return fail(`--set expects key=value, got '${pair}'`);
      options.parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg === '--seed') {
      const text = value();
      const seed = Number(text);
      if (!text || !Number.isInteger(seed) || seed < 0) return fail(`--seed expects a non-negative integer, got '${text ?? ''}'`);
      options.seed = seed;
    } else if (arg === '--variant') {
      const variant = value();
      if (!variant) return fail('--variant expects a variant id');
      options.variant = variant;
    } else if (arg.startsWith('-')) return fail(`unknown option '${arg}'`);
    else if (!options.id) options.id = arg;
    else return fail(`unexpected argument '${arg}'`);
  }
  if (!options.id) return fail(`which sandbox? Valid sandboxes: ${listSandboxIds().join(', ')}`);
  return options;
}

export const command: Command = {
  summary: 'Run a sandbox on the engine and print what happened (or the RunReport with --json)',
  usage,
  async run(args, io) {
    const options = parse(args, io);
    if (!options) return 2;
    let sandbox: SandboxSource;
    try {
      sandbox = loadSandbox(options.id);
      if (options.variant && !sandbox.definition.variants.some((v) => v.id === options.variant)) {
        throw new ParameterError(`unknown variant '${options.variant}' for ${options.id}. Valid variants: ${sandbox.definition.variants.map((v) => v.id).join(', ')}`);
      }
      resolveParameters(sandbox.definition, options.parameters);
    } catch (error) {
      if (error instanceof UnknownSandboxError || error instanceof ParameterError) {
        io.stderr(`connlab simulate: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const [{ runSandbox }, { nodeHost }] = await Promise.all([import('../../run/run.ts'), import('../../engine/host/node.ts')]);
    const report = await runSandbox(nodeHost, {
      sandbox,
      parameters: options.parameters,
      ...(options.variant ? { variant: options.variant } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
    io.stdout(options.json ? JSON.stringify(report, null, 2) : summary(report, sandbox));
    return 0;
  },
};

const n = (value: number) => value.toLocaleString('en-US');

/** The peak of a series and the second it was first reached. */
function peak(values: readonly number[]): string {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return `${n(values[best] ?? 0)} (at ${best} s)`;
}

export function summary(report: RunReport, sandbox: SandboxSource): string {
  const { definition } = sandbox;
  const i = report.invocations;
  const nominal = report.database.maxConnectionsNominal
    ? ` (nominal: the formula on nominal memory; a real instance reports less${definition.parameters.some((p) => p.key === 'maxConnections') ? ', pass yours with --set maxConnections=N' : ''})`
    : '';
  const share = (part: number) => (i.total ? ` (${((100 * part) / i.total).toFixed(1)} %)` : '');
  const rows: Array<[string, string]> = [
    ['Sandbox', `${report.sandbox} / ${report.variant} (${report.handler})`],
    ['Parameters', Object.entries(report.parameters).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)'],
    ['Seed, virtual time', `${report.seed}, ${(report.virtualMs / 1000).toFixed(0)} s`],
    ['Invocations', `${n(i.total)} total: ${n(i.succeeded)} succeeded${share(i.succeeded)}, ${n(i.failed)} failed${share(i.failed)}, ${n(i.throttled)} throttled${share(i.throttled)}`],
    ['Latency (succeeded)', `p50 ${report.latencyMs.p50.toFixed(1)} ms, p95 ${report.latencyMs.p95.toFixed(1)} ms, p99 ${report.latencyMs.p99.toFixed(1)} ms`],
    ['Cold starts', n(report.coldStarts)],
    ['Environments', `peak ${n(report.environments.peak)}, reclaimed ${n(report.environments.reclaimed)}, crashed ${n(report.environments.crashed)}`],
    ['ConcurrentExecutions', `peak ${peak(report.series.ConcurrentExecutions)} of ${n(report.lambda.concurrencyLimit)}`],
    [
      'Database',
      `${report.database.instanceClass}, PostgreSQL ${report.database.engineVersion}, max_connections ${n(report.database.maxConnections)}${nominal} (${report.database.reservedConnections} reserved for superusers and rds_superuser), ${report.database.vcpus} vCPUs`,
    ],
    ['DatabaseConnections', `peak ${peak(report.series.DatabaseConnections)}, ${n(report.database.accepted)} opened`],
    ['ZombieConnections', `peak ${peak(report.series.ZombieConnections)}, ${n(report.database.deadClientsReaped)} reaped by TCP keepalive (${n(report.database.deadClientAfterMs / 1000)} s after the last traffic)`],
    ['Idle-session timeouts', n(report.database.idleSessionTimeouts)],
    ...(report.proxy ? proxySummaryRows(report.proxy) : []),
    ...servicesSummaryRows(report),
    ['Wall time', `${n(report.wallMs)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [definition.title, '', ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), ''];
  if (report.errors.length === 0) lines.push('Errors: none');
  else {
    lines.push('Errors:');
    const countWidth = Math.max(...report.errors.map((e) => n(e.count).length));
    const codeWidth = Math.max(...report.errors.map((e) => e.code.length));
    for (const e of report.errors) lines.push(`  ${n(e.count).padStart(countWidth)}  ${e.code.padEnd(codeWidth)}  ${e.message}`);
  }
  lines.push('', `What to look for: ${definition.summary}`);
  const valid = definition.parameters.map(describeParameter);
  if (valid.length) lines.push('', 'Parameters (--set key=value):', ...valid.map((v) => `  ${v}`));
  return lines.join('\n');
}
