/**
 * RDS Proxy's PostgreSQL pinning rules (fact sheet A4) applied to statement text: which statements
 * leave session state behind, so the proxy must keep the client on its database connection.
 *
 * The text is scanned the way the server would read it: string literals, quoted identifiers,
 * dollar-quoted bodies and comments are blanked first, so `SELECT 'SET x'` does not pin. The rules
 * are matched per statement of a multi-statement query.
 */
import { pinReasons, pinningLimits } from '../../facts/rds-proxy.ts';

export type PinReason = (typeof pinReasons.value)[keyof typeof pinReasons.value];

export interface Pin {
  reason: PinReason;
  /** The statement that caused it, as sent. */
  statement: string;
}

const R = pinReasons.value;

/** Replaces literals, quoted identifiers and comments by spaces, keeping offsets. */
export function blankLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      const stop = Math.min(sql.length, j + 1);
      out += c === '"' ? `"${'x'.repeat(Math.max(0, stop - i - 2))}"`.slice(0, stop - i) : ' '.repeat(stop - i);
      i = stop;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const stop = end < 0 ? sql.length : end + tag[0].length;
        out += ' '.repeat(stop - i);
        i = stop;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const LEADING: ReadonlyArray<[RegExp, PinReason]> = [
  // SET LOCAL lasts until the end of the transaction, and SET TRANSACTION/SESSION CHARACTERISTICS
  // only shape transactions: neither leaves session state behind. That they do not pin is an
  // assumption for PostgreSQL (AWS says so for MySQL only; the proxy-pinning sandbox says so).
  [/^set\s+(?!local\b|transaction\b|session\s+characteristics\b)/, R.set],
  [/^reset\b/, R.reset],
  [/^prepare\s+(?!transaction\b)/, R.prepare],
  [/^execute\b/, R.execute],
  [/^deallocate\b/, R.deallocate],
  [/^create\s+(or\s+replace\s+)?(global\s+|local\s+)?(temp|temporary)\s+(table|view|sequence|recursive\s+view)\b/, R.temporary],
  [/^create\s+(or\s+replace\s+)?(temp|temporary)\b/, R.temporary],
  [/^declare\b/, R.cursor],
  [/^discard\b/, R.discard],
  [/^listen\b/, R.listen],
  [/^load\b/, R.load],
];

const ANYWHERE: ReadonlyArray<[RegExp, PinReason]> = [
  [/\bset_config\s*\([^)]*,\s*false\s*\)/, R.setConfig],
  [/\b(nextval|setval)\s*\(/, R.sequence],
  [/\bpg_(try_)?advisory_(xact_)?(lock|unlock)(_shared|_all)?\s*\(/, R.advisoryLock],
  [/\bselect\b[^;]*\binto\s+(temp|temporary)\b/, R.temporary],
];

/** The pins one query text causes (empty when it multiplexes), first reason per statement. */
export function pinsFor(sql: string): Pin[] {
  const pins: Pin[] = [];
  if (new TextEncoder().encode(sql).length > pinningLimits.statementBytes.value) pins.push({ reason: R.longStatement, statement: sql });
  const blanked = blankLiterals(sql).toLowerCase();
  let start = 0;
  for (let i = 0; i <= blanked.length; i++) {
    if (i < blanked.length && blanked[i] !== ';') continue;
    const text = blanked.slice(start, i);
    const trimmed = text.trim();
    if (trimmed) {
      const statement = sql.slice(start, i).trim();
      const reason = LEADING.find(([pattern]) => pattern.test(trimmed))?.[1] ?? ANYWHERE.find(([pattern]) => pattern.test(trimmed))?.[1];
      if (reason) pins.push({ reason, statement });
    }
    start = i + 1;
  }
  return pins;
}
