/**
 * Reading the reader's handler files, for `connlab doctor` and `connlab simulate --handler`: an
 * unreadable path is one clear usage error, and paths are printed as the reader sees them.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { relative, sep } from 'node:path';
import { quote, UsageError } from './arguments.ts';

/** A handler file is source code: anything larger is not one, and reading it whole would only cost memory. */
const LARGEST_FILE = 2 * 1024 * 1024;

/** The path as the reader sees it: relative to where they ran the command when it lies below, with forward slashes. */
export function shown(path: string): string {
  const below = relative(process.cwd(), path);
  const chosen = below && !below.startsWith('..') && !below.startsWith(sep) ? below : path;
  return chosen.split(sep).join('/');
}

export function stat(path: string, given: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${quote(given)}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable')}`);
  }
}

export function readHandler(path: string, given: string): string {
  const info = stat(path, given);
  if (!info.isFile()) throw new UsageError(`${quote(given)} is not a regular file`);
  if (info.size > LARGEST_FILE) throw new UsageError(`${quote(given)} is ${info.size} bytes, too large for a handler file (at most ${LARGEST_FILE})`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${quote(given)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}
