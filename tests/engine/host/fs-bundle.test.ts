import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptInBundle, readFsBundleIndex, trimFsBundle, trimmedFsBundle } from '../../../src/engine/host/fs-bundle.node.ts';
import { initialisedDataDir } from '../../../src/engine/host/host.node.ts';
import { listSandboxIds, loadSandbox } from '../../../src/sandboxes/load.node.ts';

describe('trimFsBundle', () => {
  const bundle = new Uint8Array([1, 1, 2, 2, 2, 3]);
  const index = [
    { name: '/pglite/share/postgresql/postgres.bki', start: 2, end: 5 },
    { name: '/pglite/lib/postgresql/plpgsql.so', start: 0, end: 2 },
    { name: '/home/postgres/.pgpass', start: 5, end: 6 },
  ];

  it('zeroes the files it drops and leaves the others, offsets and size unchanged', () => {
    expect([...trimFsBundle(bundle, index)]).toEqual([1, 1, 0, 0, 0, 3]);
    expect([...bundle]).toEqual([1, 1, 2, 2, 2, 3]);
  });

  it('refuses an index that does not cover the bundle end to end', () => {
    expect(() => trimFsBundle(bundle, index.slice(1))).toThrow(/does not tile/);
    expect(() => trimFsBundle(bundle.subarray(0, 5), index)).toThrow(/ends at byte 6/);
  });
});

describe('keptInBundle', () => {
  it.each([
    ['/pglite/lib/postgresql/plpgsql.so', true],
    ['/pglite/share/postgresql/timezonesets/Default', true],
    ['/pglite/share/postgresql/timezone/UTC', true],
    ['/pglite/share/postgresql/extension/plpgsql.control', true],
    ['/pglite/password', true],
    ['/pglite/share/postgresql/timezone/Europe/Paris', false],
    ['/pglite/share/postgresql/postgres.bki', false],
    ['/pglite/share/postgresql/information_schema.sql', false],
    ['/pglite/icu/icudt76l/coll/ucadata.icu', false],
    ['/pglite/lib/postgresql/utf8_and_gbk.so', false],
    ['/pglite/lib/postgresql/pgxs/src/Makefile.global', false],
  ])('%s: %s', (name, kept) => {
    expect(keptInBundle(name)).toBe(kept);
  });
});

describe("PGlite's file-system bundle as the page downloads it", () => {
  let trimmed: Uint8Array;
  let db: PGlite;
  beforeAll(async () => {
    trimmed = trimmedFsBundle();
    db = await PGlite.create({ fsBundle: new Blob([trimmed as BlobPart]), loadDataDir: await initialisedDataDir() });
  });
  afterAll(() => db?.close());

  it("reads PGlite's own index, which names the files kept", () => {
    const names = readFsBundleIndex().map((file) => file.name);
    expect(names).toContain('/pglite/lib/postgresql/plpgsql.so');
    expect(names).toContain('/pglite/share/postgresql/postgres.bki');
  });

  it('compresses to a small fraction of the package file (which gzips to about 1.3 MB)', () => {
    expect(gzipSync(trimmed, { level: 9 }).length).toBeLessThan(150_000);
  });

  it.each(listSandboxIds())("runs sandbox %s's setup SQL", async (id) => {
    const { setupSql } = loadSandbox(id).definition.database;
    await db.exec('BEGIN');
    try {
      expect((await db.exec(setupSql)).length).toBeGreaterThan(0);
    } finally {
      await db.exec('ROLLBACK');
    }
  });

  it('keeps PL/pgSQL, UTC time and the time zone abbreviations a reader may write', async () => {
    await db.exec('DO $$ BEGIN PERFORM 1; END $$');
    const results = await db.exec("SET TIME ZONE 'UTC'; SELECT '2024-01-01 10:00 PST'::timestamptz::text AS utc");
    expect(results[1]?.rows).toEqual([{ utc: '2024-01-01 18:00:00+00' }]);
  });
});
