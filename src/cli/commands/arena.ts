/**
 * `connlab arena`: the arena sandbox once per pattern, side by side (peak database connections,
 * errors, p99 latency, cost per million requests), or the rows as JSON.
 */
import type { Command, CommandIO } from '../main.ts';
import { loadSandbox } from '../../sandboxes/load.ts';
import { ParameterError, resolveParameters } from '../../sandboxes/parameters.ts';

const usage = 'connlab arena [--set key=value ...] [--requests-per-month N] [--json]';

export const command: Command = {
  summary: 'Run the same spike against all five patterns and compare them',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const parameters: Record<string, string> = {};
    let json = false;
    let requestsPerMonth: number | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--json') json = true;
      else if (arg === '--set' || arg.startsWith('--set=')) {
        const pair = arg === '--set' ? args[++i] : arg.slice(6);
        const eq = pair?.indexOf('=') ?? -1;
        if (!pair || eq <= 0) {
          io.stderr(`connlab arena: --set expects key=value, got '${pair ?? ''}'\nUsage: ${usage}`);
          return 2;
        }
        parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
      } else if (arg === '--requests-per-month') {
        const value = Number(args[++i]);
        if (!(value > 0)) {
          io.stderr(`connlab arena: --requests-per-month expects a positive number\nUsage: ${usage}`);
          return 2;
        }
        requestsPerMonth = value;
      } else {
        io.stderr(`connlab arena: unexpected argument '${arg}'\nUsage: ${usage}`);
        return 2;
      }
    }
    const sandbox = loadSandbox('arena');
    try {
      resolveParameters(sandbox.definition, parameters);
    } catch (error) {
      if (error instanceof ParameterError) {
        io.stderr(`connlab arena: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const [{ nodeHost }, { runArena, formatArena }] = await Promise.all([import('../../engine/host/node.ts'), import('../../run/arena.ts')]);
    const { rows } = await runArena(nodeHost, sandbox, { parameters, ...(requestsPerMonth ? { requestsPerMonth } : {}) });
    io.stdout(json ? JSON.stringify(rows, null, 2) : `${sandbox.definition.title}\n\n${formatArena(rows)}`);
    return 0;
  },
};
