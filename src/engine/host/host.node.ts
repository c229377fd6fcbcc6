/**
 * The Node host: bundles `pg` (and the AWS SDK, for runs that use it) with esbuild at first use and keeps a dump of an initialised PGlite
 * data directory (in memory, and on disk under `.cache/`) so that a run after the first one starts
 * its database in about half a second instead of running initdb again (2 to 5 s here).
 */
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
/** PGlite's file-system bundle as the page gets it (fs-bundle.node.ts), so a run here reads the same files. */
let fsBundle: Blob | null = null;
const sdkSources = new Map<SdkBundle, Promise<string>>();

/** An SDK bundle's text, built with esbuild once per process. */
export function sdkSource(bundle: SdkBundle): Promise<string> {
  let source = sdkSources.get(bundle);
  if (!source) {
    source = import('esbuild').then(({ build }) => bundleSdk(build as never, root, bundle));
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
  const version = JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version as string;
  const file = join(cacheDir, `pglite-${version}-datadir-${dataDirRecipe}.tar`);
  if (existsSync(file)) return new BytesBlob(readFileSync(file));
  const tar = await buildDataDir();
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, tar);
  renameSync(partial, file);
  return new BytesBlob(tar);
}

export const nodeHost: EngineHost = {
  pgSource: () => (pgSources ??= bundlePg()),
  sdkSource,
  async createDatabase() {
    dataDir ??= initialisedDataDir();
    fsBundle ??= new BytesBlob(trimmedFsBundle());
    return PGlite.create({ loadDataDir: await dataDir, fsBundle });
  },
  yieldMacrotask: () => new Promise<void>((resolve) => setImmediate(resolve)),
  wallClock: () => performance.now(),
  onUnhandledRejection(listener) {
    const handle = (reason: unknown) => listener(reason);
    process.on('unhandledRejection', handle);
    return () => process.off('unhandledRejection', handle);
  },
};
