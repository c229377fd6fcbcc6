/**
 * The project as a zip, byte for byte the same for the same files wherever it is built (the page
 * and `connlab generate --zip` are compared in the end-to-end test): fixed timestamps, files in
 * path order, fixed compression level, Unix permissions in the external attributes.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { GeneratedFile } from './project.ts';

/** 1980-01-01 00:00:00 local time, the earliest DOS timestamp: no clock leaks into the bytes. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function zipProject(files: readonly GeneratedFile[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const mode = file.executable ? 0o100755 : 0o100644;
    entries[file.path] = [strToU8(file.contents), { level: 6, mtime: FIXED_MTIME, os: 3, attrs: mode << 16 }];
  }
  return zipSync(entries, { level: 6, mtime: FIXED_MTIME });
}
