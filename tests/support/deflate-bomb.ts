/**
 * A deflate bomb: a small raw DEFLATE stream that inflates to `inflatedBytes` zeros. Built from one
 * fully flushed, non-final block of zlib's (byte-aligned, so copies concatenate) repeated, then an
 * empty final block; compressing the gigabyte itself would take seconds.
 */
import { constants, deflateRawSync } from 'node:zlib';

const blockBytes = 1 << 20;

export function deflateBomb(inflatedBytes: number): Uint8Array {
  if (inflatedBytes % blockBytes !== 0) throw new Error(`deflateBomb: expected a multiple of ${blockBytes} bytes`);
  const block = deflateRawSync(Buffer.alloc(blockBytes), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: inflatedBytes / blockBytes }, () => block), last]);
}

/** The bomb as a share link fragment for `sandbox`. */
export const deflateBombFragment = (sandbox: string, inflatedBytes: number): string => `#run=${sandbox}~${Buffer.from(deflateBomb(inflatedBytes)).toString('base64url')}`;
