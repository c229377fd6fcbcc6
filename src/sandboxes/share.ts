/**
 * A sandbox's state in a URL: which sandbox, its parameters, and optionally the reader's edited
 * files and variant. The state is JSON, deflated and base64url-encoded into the fragment
 * (`#run=<id>~<payload>`), so it never reaches a server log and survives copy and paste.
 * Decoding validates everything and says what was expected when a link is damaged; a link is
 * untrusted, so inflating stops at the state limit instead of expanding whatever it holds.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
// zod/mini: the same validator in a tree-shakable form, because this module loads with every sandbox.
// It carries no default messages ("Invalid input"), so every bound says itself what it expected.
import * as z from 'zod/mini';
import { shareLinkLimits } from './limits.ts';
import { formatNumber as count } from '../lib/format-number.ts';

export const sharedStateVersion = 1;

const { codeCharacters, stateBytes, variantCharacters } = shareLinkLimits;
const mebibytes = (bytes: number) => `${count(bytes / 2 ** 20, 1).replace(/\.0$/, '')} MiB`;

const SharedState = z.strictObject(
  {
    v: z.literal(sharedStateVersion, `expected version ${sharedStateVersion}; the link was made by another version of this site`),
    sandbox: z.string('expected a sandbox id').check(z.regex(/^[a-z0-9-]+$/, 'expected a sandbox id such as direct-connection')),
    variant: z.optional(
      z.string('expected a variant id').check(z.maxLength(variantCharacters.value, `expected a variant id of at most ${count(variantCharacters.value)} characters`)),
    ),
    params: z._default(z.record(z.string(), z.union([z.number(), z.string(), z.boolean()], 'expected a number, a text or true/false'), 'expected parameters by name'), {}),
    files: z.optional(
      z.record(
        z.string(),
        z.string('expected the code as text').check(z.maxLength(codeCharacters.value, `code is longer than ${count(codeCharacters.value)} characters, the most a share link may carry`)),
        'expected files by name',
      ),
    ),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown fields ${issue.keys.join(', ')}` : 'expected an object with v, sandbox and params') },
);

export type SharedState = z.infer<typeof SharedState>;

export type DecodeResult = { ok: true; state: SharedState } | { ok: false; error: string };

const prefix = '#run=';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  // A plain loop: Uint8Array.from with a mapping function is a hundred times slower on a long link.
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Compressed bytes fed to the inflater at a time. DEFLATE expands at most 1032-fold (a 258-byte
 * match in two bits), so one step yields at most about 1 MiB: inflating stops within that of the limit.
 */
const inflateStepBytes = 1024;

export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; inflatedBytes: number };

/**
 * Inflates raw DEFLATE data unless it expands past `limitBytes`; then it stops, reporting how many
 * bytes it had inflated. Throws, as fflate does, on data that is not DEFLATE or is cut short.
 */
export function inflateWithin(compressed: Uint8Array, limitBytes: number): InflateResult {
  const chunks: Uint8Array[] = [];
  let inflatedBytes = 0;
  const inflater = new Inflate((chunk) => {
    inflatedBytes += chunk.length;
    if (inflatedBytes <= limitBytes) chunks.push(chunk);
  });
  let at = 0;
  do {
    const step = compressed.subarray(at, at + inflateStepBytes);
    at += inflateStepBytes;
    inflater.push(step, at >= compressed.length);
    if (inflatedBytes > limitBytes) return { ok: false, inflatedBytes };
  } while (at < compressed.length);
  const bytes = new Uint8Array(inflatedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}

/** The URL fragment (with its leading #) that opens `state`. */
export function encodeSharedState(state: Omit<SharedState, 'v'>): string {
  const full: SharedState = { v: sharedStateVersion, ...state, params: state.params ?? {} };
  return `${prefix}${full.sandbox}~${toBase64Url(deflateSync(strToU8(JSON.stringify(full)), { level: 9 }))}`;
}

/** Whether a fragment is meant for the sandboxes at all (other fragments are headings). */
export const isSharedStateFragment = (hash: string): boolean => hash.startsWith(prefix);

const damaged = 'the encoded state is damaged (not deflated JSON in base64url); the link may have been cut short';

export function decodeSharedState(hash: string): DecodeResult {
  if (!isSharedStateFragment(hash)) return { ok: false, error: `expected a fragment starting with ${prefix}` };
  const body = hash.slice(prefix.length);
  const tilde = body.indexOf('~');
  if (tilde < 1) return { ok: false, error: 'expected #run=<sandbox id>~<encoded state>' };
  let json: unknown;
  try {
    const inflated = inflateWithin(fromBase64Url(body.slice(tilde + 1)), stateBytes.value);
    if (!inflated.ok) {
      return { ok: false, error: `the encoded state expands to more than ${mebibytes(stateBytes.value)}, the most a share link may carry; the link was not made by Copy share link` };
    }
    json = JSON.parse(strFromU8(inflated.bytes));
  } catch {
    return { ok: false, error: damaged };
  }
  const parsed = SharedState.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'state'}: ${issue.message}`).join('; ') };
  }
  if (parsed.data.sandbox !== body.slice(0, tilde)) {
    return { ok: false, error: `the link names sandbox ${body.slice(0, tilde)} but carries the state of ${parsed.data.sandbox}` };
  }
  return { ok: true, state: parsed.data };
}
