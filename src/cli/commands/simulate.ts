/**
 * `connlab simulate <id>`: run a sandbox and print a summary, or the RunReport as JSON.
 */
import type { Command } from '../command.ts';
import { keyValuePairs, numberOption, quote, UsageError } from '../arguments.ts';
import { listSandboxIds, loadSandbox, UnknownSandboxError } from '../../sandboxes/load.node.ts';
import { ParameterError, describeParameter, resolveParameters } from '../../sandboxes/parameters.ts';
import type { SandboxSource } from '../../sandboxes/schema.ts';
import type { RunReport } from '../../run/report.ts';
import { proxySummaryRows } from '../proxy-summary.ts';
import { servicesSummaryRows } from '../services-summary.ts';

const usage = 'connlab simulate <sandbox> [--variant <id>] [--set key=value ...] [--seed N] [--json]';

export const command: Command = {
  summary: 'Run a sandbox on the engine and print what happened (or the RunReport with --json)',
  usage,
  options: {
    variant: { type: 'string', value: 'text' },
    set: { type: 'string', multiple: true, value: 'key=value' },
    seed: { type: 'string', value: 'number' },
    json: { type: 'boolean' },
  },
  positionals: ['sandbox'],
  async run({ values, positionals }, io) {
    const [id] = positionals;
    if (!id) throw new UsageError(`which sandbox? Valid sandboxes: ${listSandboxIds().join(', ')}`);
    const parameters = keyValuePairs('set', (values.set as string[] | undefined) ?? []);
    const seed = values.seed === undefined ? undefined : numberOption('seed', values.seed as string, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
    const variant = values.variant as string | undefined;
    let sandbox: SandboxSource;
    try {
      sandbox = loadSandbox(id);
      if (variant !== undefined && !sandbox.definition.variants.some((v) => v.id === variant)) {
        throw new ParameterError(`unknown variant ${quote(variant)} for ${id}. Valid variants: ${sandbox.definition.variants.map((v) => v.id).join(', ')}`);
      }
      resolveParameters(sandbox.definition, parameters);
    } catch (error) {
      if (error instanceof UnknownSandboxError || error instanceof ParameterError) throw new UsageError(error.message);
      throw error;
    }
    const [{ runSandbox }, { nodeHost }] = await Promise.all([import('../../run/run.ts'), import('../../engine/host/host.node.ts')]);
    const report = await runSandbox(nodeHost, {
      sandbox,
      parameters,
      ...(variant !== undefined ? { variant } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
    io.stdout(values.json ? JSON.stringify(report, null, 2) : summary(report, sandbox));
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
