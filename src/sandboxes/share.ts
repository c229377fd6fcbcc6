/**
 * A sandbox's state in a URL: which sandbox, its parameters, and optionally the reader's edited
 * files and variant. The state is JSON, deflated and base64url-encoded into the fragment
 * (`#run=<id>~<payload>`), so it never reaches a server log and survives copy and paste.
 * Decoding validates everything and says what was expected when a link is damaged.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
// zod/mini: the same validator in a tree-shakable form, because this module loads with every sandbox.
import * as z from 'zod/mini';

export const sharedStateVersion = 1;

const SharedState = z.strictObject({
  v: z.literal(sharedStateVersion),
  sandbox: z.string().check(z.regex(/^[a-z0-9-]+$/, 'sandbox: expected a sandbox id such as direct-connection')),
  variant: z.optional(z.string().check(z.maxLength(40))),
  params: z._default(z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])), {}),
  files: z.optional(z.record(z.string(), z.string().check(z.maxLength(200_000)))),
});

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
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The URL fragment (with its leading #) that opens `state`. */
export function encodeSharedState(state: Omit<SharedState, 'v'>): string {
  const full: SharedState = { v: sharedStateVersion, ...state, params: state.params ?? {} };
  return `${prefix}${full.sandbox}~${toBase64Url(deflateSync(strToU8(JSON.stringify(full)), { level: 9 }))}`;
}

/** Whether a fragment is meant for the sandboxes at all (other fragments are headings). */
export const isSharedStateFragment = (hash: string): boolean => hash.startsWith(prefix);

export function decodeSharedState(hash: string): DecodeResult {
  if (!isSharedStateFragment(hash)) return { ok: false, error: `expected a fragment starting with ${prefix}` };
  const body = hash.slice(prefix.length);
  const tilde = body.indexOf('~');
  if (tilde < 1) return { ok: false, error: 'expected #run=<sandbox id>~<encoded state>' };
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflateSync(fromBase64Url(body.slice(tilde + 1)))));
  } catch {
    return { ok: false, error: 'the encoded state is damaged (not deflated JSON in base64url); the link may have been cut short' };
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
