/**
 * `connlab arena`: the arena sandbox once per pattern, side by side (peak database connections,
 * errors, p99 latency, cost per million requests), or the rows as JSON.
 */
import type { Command } from '../command.ts';
import { keyValuePairs, numberOption, UsageError } from '../arguments.ts';
import { loadSandbox } from '../../sandboxes/load.node.ts';
import { ParameterError, resolveParameters } from '../../sandboxes/parameters.ts';

const usage = 'connlab arena [--set key=value ...] [--requests-per-month N] [--json]';

export const command: Command = {
  summary: 'Run the same spike against all six patterns and compare them',
  usage,
  options: {
    set: { type: 'string', multiple: true, value: 'key=value' },
    'requests-per-month': { type: 'string', value: 'number' },
    json: { type: 'boolean' },
  },
  positionals: [],
  async run({ values }, io) {
    const parameters = keyValuePairs('set', (values.set as string[] | undefined) ?? []);
    const perMonth = values['requests-per-month'] as string | undefined;
    // A finite count (the cost model's schema refuses Infinity, which 1e309 parses to).
    const requestsPerMonth = perMonth === undefined ? undefined : numberOption('requests-per-month', perMonth, { min: 1, max: Number.MAX_SAFE_INTEGER });
    const sandbox = loadSandbox('arena');
    try {
      resolveParameters(sandbox.definition, parameters);
    } catch (error) {
      if (error instanceof ParameterError) throw new UsageError(error.message);
      throw error;
    }
    const [{ nodeHost }, { runArena, formatArena }] = await Promise.all([import('../../engine/host/host.node.ts'), import('../../run/arena.ts')]);
    const { rows } = await runArena(nodeHost, sandbox, { parameters, ...(requestsPerMonth !== undefined ? { requestsPerMonth } : {}) });
    io.stdout(values.json ? JSON.stringify(rows, null, 2) : `${sandbox.definition.title}\n\n${formatArena(rows)}`);
    return 0;
  },
};
