/**
 * The initialised PostgreSQL data directory every run starts from, made as small as the sandboxes
 * allow, because the page downloads it on the first Run. initdb's own result is 40 MB (4.5 MB
 * gzipped): three copies of the catalogs (template0, template1, postgres) and a 16 MB WAL segment
 * full of initdb's records. Here:
 * - WAL segments are 1 MB (initdb --wal-segsize=1, the smallest PostgreSQL allows);
 * - template0 goes: nothing restores or creates a database from it (template1 stays, so a reader's
 *   CREATE DATABASE still works);
 * - the catalogs are frozen (VACUUM FREEZE), so the first queries set no hint bits;
 * - a checkpoint is taken right after a WAL switch, so it is the only record in its segment, and
 *   the dump keeps that segment up to the page it ends in (zeros after): every other segment holds
 *   only records older than the checkpoint, or recycled leftovers that recovery never reads.
 * - shared_buffers is 16 MB (ALTER SYSTEM, so it travels in postgresql.auto.conf), not initdb's
 *   128 MB: PostgreSQL sets up its whole buffer pool at start, and at 128 MB that was most of a
 *   start (2–3 s of a Worker's PGlite.create on a busy machine against under 1 s), paid by every
 *   run and by the first Run in a page. A run's working set is kilobytes; the buffer pool sizes
 *   PGlite, not the modelled instance, whose memory is the sandbox's instance class.
 * The result is an uncompressed tar, so whatever serves it (the host's brotli or gzip, or the
 * build's precompressed siblings) compresses it with everything else.
 */
import { PGlite } from '@electric-sql/pglite';

/** Names the recipe below in cached copies (host.node.ts): change it whenever the recipe changes. */
export const dataDirRecipe = 'minimal-2';

/** The buffer pool of every run's PostgreSQL (see above: its start is what this sizes). */
export const sharedBuffers = '16MB';

/** PostgreSQL's WAL page size (XLOG_BLCKSZ): a page is written whole, zeros after its last record. */
const walPageBytes = 8192;
const tarBlockBytes = 512;

export async function buildDataDir(): Promise<Uint8Array> {
  const db = await PGlite.create({ initDbStartParams: ['--wal-segsize=1'] });
  try {
    // DROP DATABASE refuses to run inside a transaction block, so each statement goes alone.
    await db.exec('ALTER DATABASE template0 IS_TEMPLATE false');
    await db.exec('DROP DATABASE template0');
    await db.exec(`ALTER SYSTEM SET shared_buffers = '${sharedBuffers}'`);
    await db.exec('VACUUM FREEZE');
    await db.query('SELECT pg_switch_wal()');
    await db.exec('CHECKPOINT');
    const end = await db.query<{ file_name: string; file_offset: number }>('SELECT file_name, file_offset FROM pg_walfile_name_offset(pg_current_wal_insert_lsn())');
    const { file_name: segment, file_offset: offset } = end.rows[0]!;
    const tar = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
    return keepWalUpTo(tar, segment, Math.ceil(offset / walPageBytes) * walPageBytes);
  } finally {
    await db.close();
  }
}

/**
 * A copy of `tar` (ustar, as PGlite writes it) whose pg_wal/ holds only `segment`, with every byte
 * from `keepBytes` on set to zero. Headers stay as they are: the segment keeps its size, so recovery
 * finds a well-formed file, and zeros end its reading there as a recycled page would.
 */
export function keepWalUpTo(tar: Uint8Array, segment: string, keepBytes: number): Uint8Array {
  const kept: Uint8Array[] = [];
  let found = false;
  for (let at = 0; at + tarBlockBytes <= tar.length; ) {
    const header = tar.subarray(at, at + tarBlockBytes);
    if (header.every((byte) => byte === 0)) break; // the end-of-archive blocks
    const size = Number.parseInt(readField(header, 124, 12) || '0', 8);
    const entryBytes = tarBlockBytes + Math.ceil(size / tarBlockBytes) * tarBlockBytes;
    const entry = tar.slice(at, at + entryBytes);
    at += entryBytes;
    const name = `${readField(header, 345, 155)}${readField(header, 0, 100)}`;
    const walFile = /(?:^|\/)pg_wal\/([0-9A-F]{24})$/.exec(name)?.[1];
    if (walFile && walFile !== segment) continue;
    if (walFile) {
      found = true;
      entry.fill(0, tarBlockBytes + keepBytes, tarBlockBytes + size);
    }
    kept.push(entry);
  }
  if (!found) throw new Error(`the data directory has no WAL segment ${segment}`);
  kept.push(new Uint8Array(2 * tarBlockBytes));
  const out = new Uint8Array(kept.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of kept) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readField(header: Uint8Array, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end)).trim();
}
