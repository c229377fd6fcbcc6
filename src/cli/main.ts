/**
 * `connlab`: the engine, the templates and the emulators from a terminal.
 *
 * Each command lives in `./commands/<name>.ts` and is loaded only when called, so `connlab list`
 * does not pay for PGlite. Exit codes: 0 success, 1 the command ran and failed, 2 bad usage.
 */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  /** One line for `connlab --help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

const commands: Record<string, () => Promise<{ command: Command }>> = {
  list: () => import('./commands/list.ts'),
  simulate: () => import('./commands/simulate.ts'),
  generate: () => import('./commands/generate.ts'),
  serve: () => import('./commands/serve.ts'),
  arena: () => import('./commands/arena.ts'),
  proxy: () => import('./commands/proxy.ts'),
};

const defaultIO: CommandIO = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export async function main(argv: string[], io: CommandIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`connlab: unknown command '${name}'. Expected one of: ${Object.keys(commands).join(', ')}.`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  return command.run(rest, io);
}

async function help(): Promise<string> {
  const lines = ['Usage: connlab <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const { summary } = (await load()).command;
    lines.push(`  ${name.padEnd(10)} ${summary}`);
  }
  lines.push('', 'Run `connlab <command> --help` for its options.');
  return lines.join('\n');
}
