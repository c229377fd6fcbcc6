/**
 * The command line as each command declares it: its options (read by node:util's parseArgs, strict)
 * and its positional arguments. The declarations are data so that `--help`, the parser and the tests
 * that walk every option read the same list.
 */
import { parseArgs } from 'node:util';

export interface CliOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** What the value names, for the usage walk: a file system path is checked before anything is written. */
  value?: 'path' | 'key=value' | 'number' | 'text';
}

export type CliOptions = Readonly<Record<string, CliOption>>;

export interface CommandLine {
  /** Own properties only (parseArgs builds a null-prototype object), so `--set __proto__=1` is just a value. */
  values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  positionals: string[];
}

/** Bad usage: `connlab` prints it as one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A reader's value inside a message: quoted, and cut short so a megabyte of input is not echoed back. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return `'${shown}'`;
}

const LONGEST_MESSAGE = 1_000;

/** Messages may span lines (parseArgs' hints, lists of valid values) and quote input; stderr gets one short line. */
export function oneLine(text: string): string {
  const line = text.trim().replace(/\s*\n\s*/g, '; ');
  return line.length > LONGEST_MESSAGE ? `${line.slice(0, LONGEST_MESSAGE)}…` : line;
}

export function parseCommandLine(args: readonly string[], options: CliOptions, positionals: readonly string[]): CommandLine {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, option] of Object.entries(options)) config[name] = { type: option.type, ...(option.multiple ? { multiple: true } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' own errors (unknown option, missing value) are usage errors; they quote the argument.
    throw new UsageError((error as Error).message);
  }
  // A last positional named `paths...` takes any number of arguments.
  const variadic = positionals.at(-1)?.endsWith('...') === true;
  if (!variadic && parsed.positionals.length > positionals.length) throw new UsageError(`unexpected argument ${quote(parsed.positionals[positionals.length]!)}`);
  for (const [name, value] of Object.entries(parsed.values)) {
    const option = options[name]!;
    for (const one of Array.isArray(value) ? value : [value]) {
      if (option.type === 'string' && one === '') throw new UsageError(`--${name} needs a value`);
    }
  }
  return { values: parsed.values as CommandLine['values'], positionals: parsed.positionals };
}

/** A finite number within [min, max] (and whole when asked), or a usage error naming the option. */
export function numberOption(name: string, text: string, range: { min: number; max: number; integer?: boolean }): number {
  const value = Number(text);
  const kind = range.integer ? 'an integer' : 'a number';
  if (text.trim() === '' || !Number.isFinite(value) || value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${kind} from ${range.min} to ${range.max}, got ${quote(text)}`);
  }
  return value;
}

/** `--set key=value ...` as an object of own properties only: `__proto__` is a key like any other (and unknown). */
export function keyValuePairs(name: string, pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${name} expects key=value, got ${quote(pair)}`);
    const key = pair.slice(0, eq);
    if (Object.hasOwn(values, key)) throw new UsageError(`--${name} ${quote(key)} is given twice`);
    values[key] = pair.slice(eq + 1);
  }
  return values;
}
