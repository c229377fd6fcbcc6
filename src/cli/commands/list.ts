/**
 * `connlab list`: the sandboxes, one line each.
 */
import type { Command } from '../command.ts';
import { listSandboxIds, loadSandbox } from '../../sandboxes/load.node.ts';

export const command: Command = {
  summary: 'List the sandboxes (id, pattern, title)',
  usage: 'connlab list',
  options: {},
  positionals: [],
  async run(_line, io) {
    const rows = listSandboxIds().map((id) => {
      const { definition } = loadSandbox(id);
      return [id, definition.pattern, definition.title, definition.variants.map((v) => v.id).join('|')] as const;
    });
    const width = Math.max(...rows.map((r) => r[0].length), 2);
    const patternWidth = Math.max(...rows.map((r) => r[1].length), 7);
    for (const [id, pattern, title, variants] of rows) io.stdout(`${id.padEnd(width)}  ${pattern.padEnd(patternWidth)}  ${title} (variants: ${variants})`);
    return 0;
  },
};
