import { describe, expect, it } from 'vitest';
import { BytesBlob } from '../../../src/engine/host/bytes-blob.ts';

describe('BytesBlob', () => {
  const bytes = new TextEncoder().encode('PG_VERSION 17');

  it('reads as the bytes it holds, through every Blob method', async () => {
    const blob = new BytesBlob(bytes);
    const real = new Blob([bytes]);
    expect(blob.size).toBe(real.size);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array(await real.arrayBuffer()));
    expect(await blob.bytes()).toEqual(await real.bytes());
    expect(await blob.text()).toBe(await real.text());
    expect(await blob.slice(3, 10).text()).toBe(await real.slice(3, 10).text());
    expect(await new Response(blob.stream()).text()).toBe(await real.text());
  });

  it('hands out a fresh copy on each read, so a database that writes to its copy leaves the next one intact', async () => {
    const blob = new BytesBlob(bytes);
    const first = new Uint8Array(await blob.arrayBuffer());
    first.fill(0);
    expect(await blob.text()).toBe('PG_VERSION 17');
    const second = await blob.bytes();
    second.fill(0);
    expect(new TextDecoder().decode(await blob.arrayBuffer())).toBe('PG_VERSION 17');
  });
});
