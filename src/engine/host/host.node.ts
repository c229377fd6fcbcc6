/**
 * The Node host: bundles `pg` (and the AWS SDK, for runs that use it) with esbuild at first use and keeps a dump of an initialised PGlite
 * data directory (in memory, and on disk under `.cache/`) so that a run after the first one starts
 * its database in about half a second instead of running initdb again (2 to 5 s here). The bundles
 * are kept under `.cache/` too: esbuild took about 1.1 s of a 5 s `connlab simulate aurora-dsql`,
 * longer than the database's start, which runs beside it.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { SHARED_PG_PACKAGES, type EngineHost, type PgSources } from './host.ts';
import { bundleSigners } from './signer-bundle.ts';
import { bundleSdk } from './sdk-bundle.ts';
import { buildDataDir, dataDirRecipe } from './data-dir.node.ts';
import { trimmedFsBundle } from './fs-bundle.node.ts';
import { BytesBlob } from './bytes-blob.ts';
import type { SdkBundle } from './sdk-packages.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cacheDir = join(root, '.cache', 'connlab');

let pgSources: Promise<PgSources> | null = null;
let dataDir: Promise<Blob> | null = null;
let files: Promise<Blob> | null = null;
const sdkSources = new Map<SdkBundle, Promise<string>>();

/**
 * The bytes at `name` under .cache/, built by `build` when missing: written whole (a rename), so a
 * concurrent reader never sees half; a checkout that cannot be written to builds again next time.
 */
async function cachedBytes(name: string, build: () => Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
  const file = join(cacheDir, name);
  if (existsSync(file)) return readFileSync(file);
  const bytes = await build();
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  } catch {
    // Built, not kept.
  }
  return bytes;
}

/**
 * What the bundles are built from: every package's version (the lockfile) and the recipes (this
 * file, and the SDK's and signers' bundling modules). A change to either names a new cache entry.
 */
function bundleInputs(): string {
  return contentHash([join(root, 'package-lock.json'), fileURLToPath(import.meta.url), ...['sdk-bundle.ts', 'signer-bundle.ts', 'sdk-packages.ts'].map((name) => fileURLToPath(new URL(name, import.meta.url)))]);
}

/** A short hash of the files' contents (a missing file counts by its path), naming a cache entry. */
function contentHash(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(existsSync(file) ? readFileSync(file) : file);
  return hash.digest('hex').slice(0, 16);
}

let inputs: string | null = null;

/** A bundle (JSON text) built once per bundle inputs, then read from .cache/. */
async function cachedBundle<T>(name: string, build: () => Promise<T>): Promise<T> {
  inputs ??= bundleInputs();
  const bytes = await cachedBytes(`${name}-${inputs}.json`, async () => Buffer.from(JSON.stringify(await build())));
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

let pglite: string | null = null;
const pgliteVersion = (): string => (pglite ??= JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version as string);

/** An SDK bundle's text, built with esbuild once (then read from .cache/), held per process. */
export function sdkSource(bundle: SdkBundle): Promise<string> {
  let source = sdkSources.get(bundle);
  if (!source) {
    source = cachedBundle(`sdk-${bundle}`, () => import('esbuild').then(({ build }) => bundleSdk(build as never, root, bundle)));
    sdkSources.set(bundle, source);
  }
  return source;
}

/** Bundles `pg` into the two texts the engine instantiates (see PgSources). */
export async function bundlePg(): Promise<PgSources> {
  const { build } = await import('esbuild');
  const bundle = async (contents: string, external: string[]) => {
    const result = await build({ stdin: { contents, resolveDir: root }, bundle: true, platform: 'node', format: 'cjs', external: ['pg-native', ...external], write: false, logLevel: 'error' });
    return result.outputFiles[0]!.text;
  };
  const [driver, shared, signers] = await Promise.all([
    bundle('module.exports = require("pg");', [...SHARED_PG_PACKAGES]),
    bundle(`module.exports = { ${SHARED_PG_PACKAGES.map((name) => `${JSON.stringify(name)}: require(${JSON.stringify(name)})`).join(', ')} };`, []),
    bundleSigners(build as never, root),
  ]);
  return { driver, shared, signers };
}

/**
 * The initialised data directory (an uncompressed tar, see data-dir.node.ts): built once, then read
 * from .cache/. The name carries the recipe's version, so a changed recipe builds a new one.
 */
export async function initialisedDataDir(): Promise<Blob> {
  return new BytesBlob(await cachedBytes(`pglite-${pgliteVersion()}-datadir-${dataDirRecipe}.tar`, buildDataDir));
}

/**
 * PGlite's file-system bundle as the page gets it (fs-bundle.node.ts), so a run here reads the same
 * files; trimmed once (reading the package's scripts for the index took about 0.1 s of every start).
 */
async function fsBundle(): Promise<Blob> {
  const recipe = contentHash([fileURLToPath(new URL('fs-bundle.node.ts', import.meta.url))]);
  return new BytesBlob(await cachedBytes(`pglite-${pgliteVersion()}-fs-bundle-${recipe}.data`, () => trimmedFsBundle()));
}

export const nodeHost: EngineHost = {
  pgSource: () => (pgSources ??= cachedBundle('pg', bundlePg)),
  sdkSource,
  async createDatabase() {
    dataDir ??= initialisedDataDir();
    files ??= fsBundle();
    const [loadDataDir, bundle] = await Promise.all([dataDir, files]);
    return PGlite.create({ loadDataDir, fsBundle: bundle });
  },
  yieldMacrotask: () => new Promise<void>((resolve) => setImmediate(resolve)),
  wallClock: () => performance.now(),
  onUnhandledRejection(listener) {
    const handle = (reason: unknown) => listener(reason);
    process.on('unhandledRejection', handle);
    return () => process.off('unhandledRejection', handle);
  },
};
