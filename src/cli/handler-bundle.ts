/**
 * The reader's handler file as the engine runs it: one CommonJS text bundled by esbuild (their own
 * imports and npm packages inside, TypeScript compiled), with `pg`, `@aws-sdk/*` and
 * `@aws-sdk/rds-signer` left as `require` calls the engine answers with its own modules, as it does
 * for the sandboxes. Its source map turns a stack frame of the bundle back into their file and line.
 */
import { SourceMap } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { build, type BuildFailure, type Metafile } from 'esbuild';
import { quote, UsageError } from './arguments.ts';
import { SDK_PACKAGES } from '../engine/host/sdk-packages.ts';
import { SIGNER_PACKAGES } from '../engine/host/host.ts';

/** What the engine supplies to handler code; anything else external cannot be required in a run. */
const ENGINE_PACKAGES: readonly string[] = ['pg', ...SIGNER_PACKAGES, ...SDK_PACKAGES];
const EXTERNAL = ['pg', 'pg-native', '@aws-sdk/*'];

export interface BundledHandler {
  /** The bundle's file name, as /var/task/<file> in the engine's stack traces. */
  file: string;
  code: string;
  map: SourceMap;
  /** The folder the map's sources are relative to. */
  root: string;
  sourcesContent: ReadonlyMap<string, string>;
}

/** Where in the reader's code a bundle's line is. */
export interface SourcePlace {
  /** Absolute path of the source file. */
  path: string;
  line: number;
  column: number;
  /** The source line's text, trimmed. */
  text: string;
}

function bundlingError(given: string, error: unknown): UsageError {
  const first = (error as Partial<BuildFailure>).errors?.[0];
  if (!first) return new UsageError(`cannot bundle ${quote(given)}: ${(error as Error).message}`);
  const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
  return new UsageError(`cannot bundle ${quote(given)}: ${at}${first.text}`);
}

/** The export names of an ES module entry; undefined for a CommonJS one (its exports are known only when it runs). */
async function esmExports(entry: string, metafile: Metafile): Promise<string[] | undefined> {
  const input = Object.entries(metafile.inputs).find(([path]) => resolve(path) === entry)?.[1];
  if (input?.format !== 'esm') return undefined;
  const listed = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', external: EXTERNAL, write: false, metafile: true, outdir: dirname(entry), logLevel: 'silent' });
  return Object.values(listed.metafile.outputs).find((output) => output.entryPoint)?.exports ?? [];
}

export async function bundleHandler(path: string, given: string, exportName: string): Promise<BundledHandler> {
  const entry = resolve(path);
  const file = `${basename(entry, extname(entry))}.js`;
  // Written nowhere (write: false); beside the entry so the map's sources are relative to its folder.
  const outfile = join(dirname(entry), file);
  let result;
  try {
    result = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: EXTERNAL, write: false, sourcemap: 'external', sourcesContent: true, metafile: true, outfile, logLevel: 'silent' });
  } catch (error) {
    throw bundlingError(given, error);
  }
  const unavailable = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) if (imported.external && /^(pg|@aws-sdk)(\/|$)/.test(imported.path) && !ENGINE_PACKAGES.includes(imported.path)) unavailable.add(imported.path);
  }
  if (unavailable.size) throw new UsageError(`${quote(given)} imports ${[...unavailable].join(', ')}, which the simulator does not provide (it provides ${ENGINE_PACKAGES.join(', ')})`);
  const exports = await esmExports(entry, result.metafile).catch((error: unknown) => {
    throw bundlingError(given, error);
  });
  if (exports && !exports.includes(exportName)) {
    throw new UsageError(`${quote(given)} has no export named ${quote(exportName)}${exports.length ? ` (it exports ${exports.join(', ')})` : ''}; choose one with --export`);
  }
  const code = result.outputFiles.find((output) => output.path.endsWith('.js'))!.text;
  const payload = JSON.parse(result.outputFiles.find((output) => output.path.endsWith('.map'))!.text) as { sources: string[]; sourcesContent?: string[] };
  const sourcesContent = new Map(payload.sources.map((source, i) => [source, payload.sourcesContent?.[i] ?? '']));
  return { file, code, map: new SourceMap(payload as never), root: dirname(entry), sourcesContent };
}

/**
 * The reader's place of the innermost frame of the bundle in a stack: the first one in their own
 * code, else the first in a package they bundled. Undefined when no frame is in the bundle (an
 * error the engine or a driver raised before any of their code ran).
 */
export function placeInSource(stack: string | undefined, handler: BundledHandler): SourcePlace | undefined {
  if (!stack) return undefined;
  const frame = new RegExp(`/var/task/${handler.file.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)`, 'g');
  const places: Array<{ place: SourcePlace; dependency: boolean }> = [];
  for (const match of stack.matchAll(frame)) {
    const origin = handler.map.findOrigin(Number(match[1]), Number(match[2])) as { fileName?: string; lineNumber?: number; columnNumber?: number };
    if (!origin.fileName || !origin.lineNumber) continue;
    const text = handler.sourcesContent.get(origin.fileName)?.split('\n')[origin.lineNumber - 1]?.trim() ?? '';
    places.push({ place: { path: resolve(handler.root, origin.fileName), line: origin.lineNumber, column: origin.columnNumber ?? 1, text }, dependency: /(^|\/)node_modules\//.test(origin.fileName) });
  }
  return (places.find((candidate) => !candidate.dependency) ?? places[0])?.place;
}
