import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepWalUpTo, sharedBuffers } from '../../../src/engine/host/data-dir.node.ts';
import { initialisedDataDir } from '../../../src/engine/host/host.node.ts';
import { listSandboxIds, loadSandbox } from '../../../src/sandboxes/load.node.ts';

/** The entries of a ustar archive: name and content (enough for what these tests look at). */
function entries(tar: Uint8Array): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/\0.*$/s, '').trim();
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const size = Number.parseInt(text(tar.subarray(at + 124, at + 136)) || '0', 8);
    found.set(text(tar.subarray(at, at + 100)), tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

/** A ustar archive of regular files, written by hand so the test does not trust the code it tests. */
function ustar(files: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (text: string, at: number) => header.set(new TextEncoder().encode(text), at);
    put(name, 0);
    put('0000600\0', 100);
    put(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    put('0', 156);
    put('ustar\0', 257);
    parts.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
}

describe('keepWalUpTo', () => {
  it('keeps the named WAL segment up to the given byte, zeroes the rest of it, and drops the other segments', () => {
    const filled = (value: number) => new Uint8Array(20_000).fill(value);
    const tar = ustar({
      '/PG_VERSION': new TextEncoder().encode('17\n'),
      '/pg_wal/000000010000000000000008': filled(8),
      '/pg_wal/000000010000000000000009': filled(9),
      '/pg_wal/00000001000000000000000A': filled(10),
    });
    const kept = entries(keepWalUpTo(tar, '000000010000000000000009', 8192));
    expect([...kept.keys()]).toEqual(['/PG_VERSION', '/pg_wal/000000010000000000000009']);
    const segment = kept.get('/pg_wal/000000010000000000000009')!;
    expect(segment.length).toBe(20_000);
    expect(segment.subarray(0, 8192).every((byte) => byte === 9)).toBe(true);
    expect(segment.subarray(8192).every((byte) => byte === 0)).toBe(true);
    expect(new TextDecoder().decode(kept.get('/PG_VERSION'))).toBe('17\n');
  });

  it('refuses an archive without the segment the checkpoint is in', () => {
    expect(() => keepWalUpTo(ustar({ '/pg_wal/000000010000000000000008': new Uint8Array(10) }), '000000010000000000000009', 0)).toThrow(/no WAL segment/);
  });
});

describe('the initialised data directory every run starts from', () => {
  let tar: Uint8Array;
  let db: PGlite;
  beforeAll(async () => {
    tar = new Uint8Array(await (await initialisedDataDir()).arrayBuffer());
    db = await PGlite.create({ loadDataDir: new Blob([tar as BlobPart]) });
  });
  afterAll(() => db?.close());

  it('is an uncompressed tar holding one 1 MB WAL segment, mostly zeros, and no template0', async () => {
    const files = entries(tar);
    const wal = [...files.keys()].filter((name) => /pg_wal\/[0-9A-F]{24}$/.test(name));
    expect(wal).toHaveLength(1);
    const segment = files.get(wal[0]!)!;
    expect(segment.length).toBe(1024 * 1024);
    expect(segment.filter((byte) => byte !== 0).length).toBeLessThan(8192);
    // template1 stays (CREATE DATABASE copies it); template0's OID 4 directory is gone.
    expect([...files.keys()].some((name) => name.startsWith('/base/1/'))).toBe(true);
    expect([...files.keys()].some((name) => name.startsWith('/base/4/'))).toBe(false);
    expect((await db.query('SELECT datname FROM pg_database ORDER BY datname')).rows).toEqual([{ datname: 'postgres' }, { datname: 'template1' }]);
    expect((await db.query('SHOW wal_segment_size')).rows).toEqual([{ wal_segment_size: '1MB' }]);
  });

  it("starts PostgreSQL with its small buffer pool, not initdb's 128 MB", async () => {
    expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: sharedBuffers }]);
  });

  it.each(listSandboxIds())("runs sandbox %s's setup SQL", async (id) => {
    const { setupSql } = loadSandbox(id).definition.database;
    // Each sandbox gets a fresh database in a run; a transaction rolled back gives the same here.
    await db.exec('BEGIN');
    try {
      const results = await db.exec(setupSql);
      expect(results.length).toBeGreaterThan(0);
    } finally {
      await db.exec('ROLLBACK');
    }
  });

  it('still creates a database from template1, as a reader might', async () => {
    await db.exec('CREATE DATABASE reader_made');
    expect((await db.query("SELECT count(*)::int AS n FROM pg_database WHERE datname = 'reader_made'")).rows).toEqual([{ n: 1 }]);
  });
});
