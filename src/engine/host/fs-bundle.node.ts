/**
 * PGlite's file-system bundle (`pglite.data`, 6.2 MB, 1.06 MB with brotli) cut down to what a running
 * server reads, because the page downloads it on the first Run. The bundle is an Emscripten file
 * package: one blob of concatenated files whose names and offsets live in PGlite's JavaScript, so a
 * file cannot be removed without rewriting that index. Instead the files no run reads are set to
 * zeros: the blob keeps its size and offsets, the index stays true, and zeros compress to almost
 * nothing (what the host's brotli or gzip, or the build's precompressed siblings, then send).
 *
 * What goes, and why no run needs it (the data directory comes initialised, so nothing here runs
 * initdb; the server's locale is libc "C", its encoding and every client's UTF8, its time zone UTC):
 * - initdb's inputs: postgres.bki, the *.sql scripts and sql_features.txt, the *.sample configs;
 * - ICU's collation data (only an explicit ICU collation, `COLLATE "und-x-icu"`, would read it);
 * - the encoding conversion libraries (`*_and_*.so`: a client asking for another encoding);
 * - replication (libpqwalreceiver.so, pgoutput.so) and extension build files (pgxs/);
 * - the Snowball stemmers (dict_snowball.so: full-text search with a language configuration);
 * - every time zone but UTC's names (`SET TIME ZONE 'Europe/Paris'` would fail).
 * What stays: PL/pgSQL (a reader's DO block or function), the time zone abbreviations the server
 * loads at start, the text search stop words, and the small files PGlite itself opens.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export interface FsBundleFile {
  name: string;
  start: number;
  end: number;
}

/** The time zone files a server in UTC reads (TimeZone and log_timezone both say UTC). */
const keptTimeZones = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Universal', 'Zulu', 'Etc/Universal', 'Etc/Zulu', 'GMT', 'Etc/GMT', 'posixrules']);

/** True for a file the trimmed bundle keeps (see the list above). */
export function keptInBundle(name: string): boolean {
  const share = '/pglite/share/postgresql/';
  const lib = '/pglite/lib/postgresql/';
  if (name.startsWith('/pglite/icu/')) return false;
  if (name.startsWith(`${lib}pgxs/`)) return false;
  if (name.startsWith(lib)) return name === `${lib}plpgsql.so`;
  if (name.startsWith(`${share}timezone/`)) return keptTimeZones.has(name.slice(`${share}timezone/`.length));
  if (name.startsWith(share)) return /^(timezonesets|tsearch_data|extension)\//.test(name.slice(share.length));
  return true;
}

/** Where PGlite's files are, as the package resolves in Node. */
function pgliteDistDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
}

/**
 * The bundle's index, read from the PGlite script that loads it (Emscripten's file packager writes
 * it as `{files:[{filename:"…",start:…,end:…},…]}` next to the name `datafile_pglite.data`).
 */
export function readFsBundleIndex(distDir = pgliteDistDir()): FsBundleFile[] {
  for (const script of readdirSync(distDir).filter((file) => file.endsWith('.js'))) {
    const text = readFileSync(join(distDir, script), 'utf8');
    if (!text.includes('datafile_pglite.data')) continue;
    return [...text.matchAll(/\{filename:"([^"]+)",start:(\d+),end:(\d+)\}/g)].map((match) => ({ name: match[1]!, start: Number(match[2]), end: Number(match[3]) }));
  }
  throw new Error(`no script in ${distDir} holds the index of pglite.data`);
}

/**
 * A copy of `bundle` with the bytes of every file `keep` refuses set to zero. Refuses an index that
 * does not tile the bundle end to end, which would mean PGlite changed its format.
 */
export function trimFsBundle(bundle: Uint8Array, index: FsBundleFile[], keep: (name: string) => boolean = keptInBundle): Uint8Array {
  const ordered = [...index].sort((a, b) => a.start - b.start);
  let expected = 0;
  for (const file of ordered) {
    if (file.start !== expected || file.end < file.start) throw new Error(`pglite.data's index does not tile the bundle at ${file.name} (byte ${file.start}, expected ${expected})`);
    expected = file.end;
  }
  if (expected !== bundle.length) throw new Error(`pglite.data's index ends at byte ${expected}, the bundle at ${bundle.length}`);
  const trimmed = bundle.slice();
  for (const file of ordered) if (!keep(file.name)) trimmed.fill(0, file.start, file.end);
  return trimmed;
}

/** The package's pglite.data, trimmed. */
export function trimmedFsBundle(distDir = pgliteDistDir()): Uint8Array {
  return trimFsBundle(new Uint8Array(readFileSync(join(distDir, 'pglite.data'))), readFsBundleIndex(distDir));
}
