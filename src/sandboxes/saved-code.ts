/**
 * The reader's code of a sandbox, kept in this browser: their edits per file, and the versions a
 * share link displaced. Opening a link never erases work: a saved version that differs from the
 * link's code moves to a key of its own and stays there until the reader restores or discards it.
 * Storage may be missing or full; every write says whether it happened.
 */

/** File name to code, for the files that differ from the sandbox's original. */
export type Edits = Record<string, string>;
/** File name to the versions share links displaced, newest first. */
export type KeptVersions = Record<string, string[]>;

export interface SavedCode {
  edits: Edits;
  kept: KeptVersions;
}

const editsKey = (sandbox: string) => `connlab:sandbox:${sandbox}`;
// Sandbox ids are [a-z0-9-], so no id's edits key can collide with this one.
const keptKey = (sandbox: string) => `connlab:sandbox:${sandbox}:kept`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored JSON under `key`, keeping only entries `accept` recognises; a damaged entry reads as empty. */
function readEntries<T>(storage: Storage | undefined, key: string, accept: (value: unknown) => T | undefined): Record<string, T> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '{}');
    if (!isRecord(parsed)) return {};
    const entries: Record<string, T> = {};
    for (const [name, value] of Object.entries(parsed)) {
      const accepted = accept(value);
      if (accepted !== undefined) entries[name] = accepted;
    }
    return entries;
  } catch {
    return {};
  }
}

function write(storage: Storage | undefined, key: string, entries: Record<string, unknown>): boolean {
  if (!storage) return false;
  try {
    if (Object.keys(entries).length) storage.setItem(key, JSON.stringify(entries));
    else storage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}

export function readSavedCode(storage: Storage | undefined, sandbox: string): SavedCode {
  return {
    edits: readEntries(storage, editsKey(sandbox), (value) => (typeof value === 'string' ? value : undefined)),
    kept: readEntries(storage, keptKey(sandbox), (value) => {
      const versions = Array.isArray(value) ? value.filter((version): version is string => typeof version === 'string') : [];
      return versions.length ? versions : undefined;
    }),
  };
}

export const writeEdits = (storage: Storage | undefined, sandbox: string, edits: Edits): boolean => write(storage, editsKey(sandbox), edits);
export const writeKept = (storage: Storage | undefined, sandbox: string, kept: KeptVersions): boolean => write(storage, keptKey(sandbox), kept);

/**
 * The saved code once a share link's `code` for `file` opens: the link's code becomes the edit
 * (none if it is the original), and the reader's saved version, if it differs, is kept first in line.
 * `keptNow` says whether anything was kept, so the caller knows a failed write would lose it.
 */
export function openSharedCode(saved: SavedCode, file: string, code: string, original: string): SavedCode & { keptNow: boolean } {
  const edits = { ...saved.edits };
  const kept = { ...saved.kept };
  const own = edits[file];
  const keptNow = own !== undefined && own !== code;
  if (keptNow) kept[file] = [own, ...(kept[file] ?? []).filter((version) => version !== own)];
  if (code === original) delete edits[file];
  else edits[file] = code;
  return { edits, kept, keptNow };
}

/** The kept versions with the first for `file` gone (restored or discarded). */
export function withoutFirstKept(kept: KeptVersions, file: string): KeptVersions {
  const rest = (kept[file] ?? []).slice(1);
  const next = { ...kept };
  if (rest.length) next[file] = rest;
  else delete next[file];
  return next;
}
