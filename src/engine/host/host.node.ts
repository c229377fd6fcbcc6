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
import { SHARED_PG_PACKAGES, SIGNER_PACKAGES, type EngineHost, type PgSources } from './host.ts';
import { bundleSigner } from './signer-bundle.ts';
import { bundleSdk } from './sdk-bundle.ts';
import { buildDataDir, dataDirRecipe } from './data-dir.node.ts';
import { trimmedFsBundle } from './fs-bundle.node.ts';
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
  const [driver, shared, ...signers] = await Promise.all([
    bundle('module.exports = require("pg");', [...SHARED_PG_PACKAGES]),
    bundle(`module.exports = { ${SHARED_PG_PACKAGES.map((name) => `${JSON.stringify(name)}: require(${JSON.stringify(name)})`).join(', ')} };`, []),
    ...SIGNER_PACKAGES.map((pkg) => bundleSigner(build as never, root, pkg)),
  ]);
  return { driver, shared, signers: Object.fromEntries(SIGNER_PACKAGES.map((pkg, i) => [pkg, signers[i]!])) as PgSources['signers'] };
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

/**
 * A Blob over bytes already in memory, whose arrayBuffer() is a plain copy of them. PGlite reads the
 * data directory and its file-system bundle with arrayBuffer() alone, and Node's Blob is slow for
 * both halves: building one copies the parts in (0.6 s of CPU for the 17 MB data directory, profiled
 * here under load) and arrayBuffer() copies them out in 64 KB chunks, a promise each (0.6 to 0.9 s),
 * where a copy takes 0.1 s. The methods PGlite does not call go through a real Blob, built when asked.
 * arrayBuffer() returns a fresh copy each time, because PGlite's file system may keep the buffer it
 * gets as a file's contents and write to it, and the process's next database starts from the same bytes.
 */
class BytesBlob extends Blob {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    super();
    this.#bytes = bytes;
  }
  override get size(): number {
    return this.#bytes.length;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#bytes.slice());
  }
  override slice(...range: Parameters<Blob['slice']>): Blob {
    return new Blob([this.#bytes as BlobPart]).slice(...range);
  }
  override stream(): ReturnType<Blob['stream']> {
    return new Blob([this.#bytes as BlobPart]).stream();
  }
  override text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.#bytes));
  }
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
