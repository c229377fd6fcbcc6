/**
 * Where `connlab generate` writes, checked before the first byte: a folder for --out (empty unless
 * --force), a file for --zip (new unless --force), inside a writable folder on a real file system.
 * Raw fs errors and a recursive mkdir that never returns (under /proc) become one clear message.
 */
import { accessSync, constants, existsSync, statSync, readdirSync, statfsSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './arguments.ts';

/**
 * statfs(2) `f_type` of the kernel's pseudo file systems (linux/magic.h): their files are views of
 * the kernel, so nothing generated can be stored there.
 */
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x73636673, 'securityfs'],
]);

/** The path itself or its closest ancestor that exists, with what it is. */
function nearestExisting(path: string): { path: string; stats: Stats } {
  let current = path;
  for (;;) {
    try {
      return { path: current, stats: statSync(current) };
    } catch {
      const parent = dirname(current);
      if (parent === current) throw new UsageError(`no part of ${path} exists`);
      current = parent;
    }
  }
}

function assertStorable(path: string, existing: { path: string; stats: Stats }): void {
  const fsType = PSEUDO_FILE_SYSTEMS.get(Number(statfsSync(existing.path).type));
  if (fsType) throw new UsageError(`${path} is inside the kernel's ${fsType} file system, where files cannot be stored; choose a folder on a disk`);
  const folder = existing.stats.isDirectory() ? existing.path : null;
  if (!folder) throw new UsageError(`${path} cannot be created: ${existing.path} is a file, not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${path} cannot be written: ${folder} is not writable`);
  }
}

/** The folder for --out: absent, empty, or (with force) any folder. */
export function checkFolderTarget(given: string, force: boolean): string {
  const path = resolve(given);
  if (existsSync(path)) {
    const stats = statSync(path);
    if (!stats.isDirectory()) throw new UsageError(`--out ${path} is a file, not a folder; --zip writes one file`);
    assertStorable(path, { path, stats });
    if (!force && readdirSync(path).length > 0) throw new UsageError(`${path} is not empty; choose an empty folder or pass --force to overwrite files in it`);
    return path;
  }
  assertStorable(path, nearestExisting(dirname(path)));
  return path;
}

/** The file for --zip: absent, or (with force) an existing regular file. */
export function checkFileTarget(given: string, force: boolean): string {
  const path = resolve(given);
  if (existsSync(path)) {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new UsageError(`--zip ${path} is a folder; give a file name such as ${resolve(path, 'project.zip')}, or use --out for a folder`);
    if (!stats.isFile()) throw new UsageError(`--zip ${path} is not a regular file`);
    assertStorable(path, nearestExisting(dirname(path)));
    if (!force) throw new UsageError(`${path} already exists; choose another name or pass --force to overwrite it`);
    return path;
  }
  assertStorable(path, nearestExisting(dirname(path)));
  return path;
}
