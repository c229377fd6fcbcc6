/**
 * `connlab simulate <id>`: run a sandbox and print a summary, or the RunReport as JSON.
 */
import type { Command } from '../command.ts';
import { keyValuePairs, numberOption, quote, UsageError } from '../arguments.ts';
import { listSandboxIds, loadSandbox, UnknownSandboxError } from '../../sandboxes/load.node.ts';
import { ParameterError, describeParameter, resolveParameters } from '../../sandboxes/parameters.ts';
import type { SandboxSource } from '../../sandboxes/schema.ts';
import type { RunReport } from '../../run/report.ts';
import { formatNumber, summarizeRun, summaryText } from '../../run/summary.ts';

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

function summary(report: RunReport, sandbox: SandboxSource): string {
  const { definition } = sandbox;
  const variant = definition.variants.find((v) => v.id === report.variant);
  const context: Array<[string, string]> = [
    ['Sandbox', `${report.sandbox} / ${variant?.label ?? report.variant} (${report.variant}, ${report.handler}${report.edited ? ', edited' : ''})`],
    ['Parameters', Object.entries(report.parameters).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)'],
    ['Seed, virtual time', `${report.seed}, ${(report.virtualMs / 1000).toFixed(0)} s`],
    ['Wall time', `${formatNumber(Math.round(report.wallMs))} ms`],
  ];
  const width = Math.max(...context.map(([k]) => k.length));
  const lines = [definition.title, '', ...context.map(([k, v]) => `${k.padEnd(width)}  ${v}`), '', summaryText(summarizeRun(report, variant?.label ?? report.variant))];
  lines.push('', `What to look for: ${definition.summary}`);
  const valid = definition.parameters.map(describeParameter);
  if (valid.length) lines.push('', 'Parameters (--set key=value):', ...valid.map((v) => `  ${v}`));
  return lines.join('\n');
}
