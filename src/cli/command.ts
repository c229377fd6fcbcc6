/**
 * What a `connlab` command is, apart from the dispatcher that loads it: commands import this, and
 * `main.ts` imports the commands, so nothing imports back.
 */
import type { CliOptions, CommandLine } from './arguments.ts';

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  /** One line for `connlab --help`. */
  summary: string;
  usage: string;
  /** Every option the command reads; main parses them before `run`. */
  options: CliOptions;
  /** The names of the positional arguments, in order. */
  positionals: readonly string[];
  run(line: CommandLine, io: CommandIO): Promise<number>;
}

/** For a command that runs until stopped: resolves with the first SIGINT or SIGTERM, then stops listening. */
export const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
