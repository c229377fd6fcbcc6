import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealPostgres, type RealPostgres } from './postgres.ts';

describe('the real PostgreSQL fixture', () => {
  let server: RealPostgres;
  beforeAll(async () => {
    server = await startRealPostgres({ settings: { max_connections: 7 } });
  });
  afterAll(() => server?.stop());

  it('starts PostgreSQL 15 on 127.0.0.1 with the requested settings', () => {
    expect(server.psql('SHOW server_version_num').trim()).toMatch(/^15\d{4}$/);
    expect(server.psql('SHOW max_connections').trim()).toBe('7');
    expect(server.host).toBe('127.0.0.1');
  });
});
