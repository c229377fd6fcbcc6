/**
 * How much a share link may carry. These are bounds of this site, not AWS facts: a link is
 * untrusted input, and without a bound a few kilobytes of deflated zeros expand to gigabytes and
 * freeze the page before anything can say the link is bad. Each limit is named in the message a
 * reader sees when a link exceeds it.
 */
import type { Fact } from '../facts/fact.ts';

/** Chromium refuses URLs longer than 2 MiB (kMaxURLChars), so no link can carry more than that. */
const CHROMIUM_URL_LIMIT = 'https://chromium.googlesource.com/chromium/src/+/main/url/mojom/url.mojom';

export const shareLinkLimits = {
  /** The handler code one shared file may hold. */
  codeCharacters: {
    value: 200_000,
    unit: 'characters per shared file',
    source: 'assumption',
    calibrate:
      `The largest handler under sandboxes/ is about 1,000 characters; this leaves room for a reader's additions while the link stays far below the 2 MiB URL Chromium accepts (${CHROMIUM_URL_LIMIT}). Raise it only with the state limit below.`,
  },
  /** The whole state (JSON) after inflating the link. */
  stateBytes: {
    value: 2 * 1024 * 1024,
    unit: 'bytes of JSON once inflated',
    source: 'assumption',
    calibrate:
      'Room for one file at the code limit even if every character needed a six-byte JSON escape (1.2 MB), plus parameters. Inflating and parsing this much takes milliseconds; a deflate bomb is stopped within one inflate step of it.',
  },
  /** A variant id, such as `after`. */
  variantCharacters: {
    value: 40,
    unit: 'characters',
    source: 'assumption',
    calibrate: 'Variant ids in sandboxes/*/sandbox.json are single words; 40 leaves room for longer ones.',
  },
} satisfies Record<string, Fact>;
