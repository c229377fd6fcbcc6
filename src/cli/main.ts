/**
 * `connlab`: the engine, the templates and the emulators from a terminal.
 *
 * Each command lives in `./commands/<name>.ts` and is loaded only when called, so `connlab list`
 * does not pay for PGlite. Exit codes: 0 success, 1 the command ran and failed, 2 bad usage. Either
 * failure is one line on stderr: a reader never sees a stack trace.
 */
import { oneLine, parseCommandLine, quote, UsageError } from './arguments.ts';
import type { Command, CommandIO } from './command.ts';

/** A Map, so a command name typed as `toString` or `__proto__` finds nothing inherited. */
const commands = new Map<string, () => Promise<{ command: Command }>>([
  ['list', () => import('./commands/list.ts')],
  ['simulate', () => import('./commands/simulate.ts')],
  ['generate', () => import('./commands/generate.ts')],
  ['serve', () => import('./commands/serve.ts')],
  ['arena', () => import('./commands/arena.ts')],
  ['proxy', () => import('./commands/proxy.ts')],
  ['doctor', () => import('./commands/doctor.ts')],
]);

/** Every command with its definition (for `--help` and the tests that walk the options). */
export async function loadCommands(): Promise<Array<[string, Command]>> {
  return Promise.all([...commands].map(async ([name, load]) => [name, (await load()).command] as [string, Command]));
}

const defaultIO: CommandIO = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export async function main(argv: string[], io: CommandIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name === undefined ? 2 : 0;
  }
  const load = commands.get(name);
  if (!load) {
    io.stderr(`connlab: unknown command ${quote(name)}. Expected one of: ${[...commands.keys()].join(', ')}.`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(parseCommandLine(rest, command.options, command.positionals), io);
  } catch (error) {
    const message = oneLine(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError) {
      io.stderr(`connlab ${name}: ${message} (see connlab ${name} --help)`);
      return 2;
    }
    // A failure the command did not foresee: still one line, and the exit code of a failed run.
    io.stderr(`connlab ${name}: ${message}`);
    return 1;
  }
}

async function help(): Promise<string> {
  const lines = ['Usage: connlab <command> [options]', '', 'Commands:'];
  for (const [name, command] of await loadCommands()) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  lines.push('', 'Run `connlab <command> --help` for its options.');
  return lines.join('\n');
}
