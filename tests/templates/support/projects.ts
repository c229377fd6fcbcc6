/**
 * Writing generated projects to disk for the verification, grouping identical ones, and installing
 * each distinct pinned dependency set once into a cache that survives between runs.
 *
 * Many combinations share files byte for byte (the handler does not depend on the IaC tool), so a
 * check runs once per distinct set of the files it reads and its verdict covers every combination
 * holding those bytes; the tests report both counts.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { generate, validCombinations, type GenerateOptions, type GeneratedFile } from '../../../src/templates/index.ts';

const run = promisify(execFile);

export interface Project {
  options: GenerateOptions;
  files: GeneratedFile[];
}

export const allProjects = (): Project[] => validCombinations().map((options) => ({ options, files: generate(options) }));

export interface Group {
  key: string;
  /** The files the check reads (identical in every member). */
  files: GeneratedFile[];
  members: GenerateOptions[];
}

/** Groups projects by the exact bytes of the files a check reads. */
export function groupBy(projects: Project[], reads: (path: string) => boolean): Group[] {
  const groups = new Map<string, Group>();
  for (const project of projects) {
    const files = project.files.filter((file) => reads(file.path));
    const hash = createHash('sha256');
    for (const file of files) hash.update(file.path).update('\0').update(file.contents).update('\0');
    const key = hash.digest('hex').slice(0, 16);
    const group = groups.get(key) ?? { key, files, members: [] };
    group.members.push(project.options);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function writeProject(dir: string, files: readonly GeneratedFile[]): string {
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
    if (file.executable) chmodSync(path, 0o755);
  }
  return dir;
}

export const scratch = (prefix: string) => mkdtempSync(join(tmpdir(), `connlab-${prefix}-`));

export const DEPENDENCY_CACHE = join(tmpdir(), 'connlab-template-deps');

/**
 * Installs a package.json's exact dependency set into the cache (once; later runs reuse it) and
 * returns the folder holding node_modules. Installs go to a temporary folder renamed into place,
 * so an interrupted run never leaves a half-installed set behind.
 */
/** Installs in flight in this process, by dependency set: projects that share a set wait for one install. */
const installing = new Map<string, Promise<string>>();

/**
 * The directory holding `packageJson`'s pinned dependencies, installed once per distinct set. A
 * finished directory is never replaced: projects link to it while their checks run, so a second
 * install of the same set (another test file's, in another process) keeps the first and discards its own.
 */
export function installDependencies(packageJson: string): Promise<string> {
  const pkg = JSON.parse(packageJson) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const manifest = { name: 'connlab-template-deps', version: '0.0.0', private: true, dependencies: pkg.dependencies ?? {}, devDependencies: pkg.devDependencies ?? {} };
  const key = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  let install = installing.get(key);
  if (!install) {
    install = installOnce(key, manifest);
    installing.set(key, install);
    install.catch(() => installing.delete(key));
  }
  return install;
}

async function installOnce(key: string, manifest: object): Promise<string> {
  const dir = join(DEPENDENCY_CACHE, key);
  const complete = () => existsSync(join(dir, '.complete'));
  if (complete()) return dir;
  mkdirSync(DEPENDENCY_CACHE, { recursive: true });
  const staging = mkdtempSync(join(DEPENDENCY_CACHE, `${key}.staging-`));
  writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', '--prefer-offline'], { cwd: staging, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
    writeFileSync(join(staging, '.complete'), new Date(0).toISOString());
    if (complete()) rmSync(staging, { recursive: true, force: true });
    else {
      // Only an unfinished leftover (an interrupted run's) can be in the way; nothing links to one.
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (complete()) return dir;
    throw error;
  }
  return dir;
}

/** Runs tasks with at most `limit` at once, keeping the results in order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}

export const describeOptions = (o: GenerateOptions) => `${o.pattern}/${o.runtime}/${o.language}/${o.auth}/${o.iac}/${o.database}${o.compute ? `/${o.compute}` : ''}`;
