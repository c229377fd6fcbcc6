/**
 * A Blob over bytes the host already holds, whose arrayBuffer() is a plain copy of them. PGlite reads
 * its data directory and file-system bundle with arrayBuffer() alone; the methods it does not call go
 * through a real Blob, built when asked.
 *
 * Both hosts hold PostgreSQL's files this way rather than as real Blobs:
 * - Node's Blob is slow for both halves: building one copies the parts in (0.6 s of CPU for the 17 MB
 *   data directory, profiled under load) and arrayBuffer() copies them out in 64 KB chunks, a promise
 *   each (0.6 to 0.9 s), where a copy takes 0.1 s.
 * - A browser keeps a real Blob's bytes outside the page, and the read can fail: after the watchdog
 *   ended a Worker whose handler hoarded gigabytes, the next Worker's read of its freshly downloaded
 *   files failed in Chromium with NotReadableError ("The requested file could not be read"), and the
 *   run with it. Bytes the Worker holds itself cannot be taken away.
 *
 * arrayBuffer() returns a fresh copy each time, because PGlite's file system may keep the buffer it
 * gets as a file's contents and write to it, and the host's next database starts from the same bytes.
 */
export class BytesBlob extends Blob {
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
