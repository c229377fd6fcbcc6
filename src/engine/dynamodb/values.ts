/**
 * DynamoDB attribute values as they travel on the wire (`{ S: 'x' }`, `{ N: '1.5' }`, `{ M: {…} }`),
 * with the rules DynamoDB applies to them: numbers as 38-digit decimals (never JS floats, so
 * `ADD` of `0.1` and `0.2` gives `0.3`), strings ordered by UTF-8 bytes, and item size counted the
 * way capacity and the 400 KB limit count it.
 */
import { validation } from './errors.ts';

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Item };

export type Item = Record<string, AttributeValue>;
export type ScalarType = 'S' | 'N' | 'B';
export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

const TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];

export const typeOf = (value: AttributeValue): AttributeType => Object.keys(value)[0] as AttributeType;

// ---------------------------------------------------------------------------------------------
// Numbers: sign × digits × 10^exponent, digits without leading or trailing zeros.

interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const NUMBER = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;
/** DynamoDB's documented number precision and range (API reference, "Number"). */
const MAX_DIGITS = 38;
const MAX_MAGNITUDE = 126;
const MIN_MAGNITUDE = -129;

function parseDecimal(text: string): Decimal {
  const match = NUMBER.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw validation(`The parameter cannot be converted to a numeric value: ${text}`);
  }
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  let digits = (whole + fraction).replace(/^0+/, '');
  let exponent = Number(match[4] ?? '0') - fraction.length;
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  if (digits.length > MAX_DIGITS) throw validation('Attempting to store more than 38 significant digits in a Number');
  const magnitude = digits.length + exponent;
  if (magnitude > MAX_MAGNITUDE) throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (magnitude < MIN_MAGNITUDE) throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  return { negative: match[1] === '-', digits, exponent };
}

function formatDecimal({ negative, digits, exponent }: Decimal): string {
  if (digits === '') return '0';
  let text: string;
  if (exponent >= 0) text = digits + '0'.repeat(exponent);
  else if (-exponent < digits.length) text = `${digits.slice(0, digits.length + exponent)}.${digits.slice(digits.length + exponent)}`;
  else text = `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
  return negative ? `-${text}` : text;
}

/** The canonical text DynamoDB stores and returns for a number (`"01.50"` → `"1.5"`). */
export const normalizeNumber = (text: string): string => formatDecimal(parseDecimal(text));

export function compareNumbers(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const signOf = (d: Decimal) => (d.digits === '' ? 0 : d.negative ? -1 : 1);
  if (signOf(x) !== signOf(y)) return signOf(x) - signOf(y);
  if (signOf(x) === 0) return 0;
  const magnitudeOrder = x.digits.length + x.exponent - (y.digits.length + y.exponent);
  let order: number;
  if (magnitudeOrder !== 0) order = Math.sign(magnitudeOrder);
  else {
    const width = Math.max(x.digits.length, y.digits.length);
    const left = x.digits.padEnd(width, '0');
    const right = y.digits.padEnd(width, '0');
    order = left < right ? -1 : left > right ? 1 : 0;
  }
  return x.negative ? -order : order;
}

export function addNumbers(a: string, b: string, subtract = false): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const exponent = Math.min(x.exponent, y.exponent);
  const scaled = (d: Decimal) =>
    d.digits === '' ? 0n : BigInt(d.digits) * 10n ** BigInt(d.exponent - exponent) * (d.negative ? -1n : 1n);
  const sum = scaled(x) + (subtract ? -scaled(y) : scaled(y));
  const negative = sum < 0n;
  const text = (negative ? -sum : sum).toString();
  return normalizeNumber(`${negative ? '-' : ''}${text}e${exponent}`);
}

// ---------------------------------------------------------------------------------------------
// Strings and binaries.

const utf8 = new TextEncoder();

export const utf8Length = (text: string): number => utf8.encode(text).length;

/** Code-point order is UTF-8 byte order, which is how DynamoDB sorts strings. */
export function compareStrings(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const right = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const l = left[i] ?? 0;
    const r = right[i] ?? 0;
    if (l !== r) return l < r ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBinary(text: string): Uint8Array {
  if (!BASE64.test(text)) throw new SyntaxError('not base64');
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const l = a[i] ?? 0;
    const r = b[i] ?? 0;
    if (l !== r) return l < r ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** Orders two scalars of the same type (keys, comparisons); `undefined` when they cannot be ordered. */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBytes(decodeBinary(a.B), decodeBinary(b.B));
  return undefined;
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  if ('S' in a || 'N' in a || 'B' in a) return compareScalars(a, b) === 0;
  if ('BOOL' in a && 'BOOL' in b) return a.BOOL === b.BOOL;
  if ('NULL' in a) return true;
  if ('L' in a && 'L' in b) return a.L.length === b.L.length && a.L.every((v, i) => valuesEqual(v, b.L[i] as AttributeValue));
  if ('M' in a && 'M' in b) {
    const keys = Object.keys(a.M);
    return keys.length === Object.keys(b.M).length && keys.every((k) => k in b.M && valuesEqual(a.M[k] as AttributeValue, b.M[k] as AttributeValue));
  }
  const left = setMembers(a);
  const right = setMembers(b);
  return left.length === right.length && left.every((m) => right.some((n) => valuesEqual(m, n)));
}

/** The members of a set as scalar attribute values, so sets reuse scalar comparison. */
export function setMembers(value: AttributeValue): AttributeValue[] {
  if ('SS' in value) return value.SS.map((S) => ({ S }));
  if ('NS' in value) return value.NS.map((N) => ({ N }));
  if ('BS' in value) return value.BS.map((B) => ({ B }));
  return [];
}

// ---------------------------------------------------------------------------------------------
// Validation of incoming values: the wire format is untrusted input.

export function checkValue(value: unknown, where: string): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validation(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes`);
  }
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1 || !TYPES.includes(keys[0] as AttributeType)) {
    throw validation(
      keys.length === 0
        ? 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'
        : 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const type = keys[0] as AttributeType;
  const raw = (value as Record<string, unknown>)[type];
  const fail = () => validation(`Invalid attribute value type at ${where}`);
  switch (type) {
    case 'S':
      if (typeof raw !== 'string') throw fail();
      return { S: raw };
    case 'N':
      if (typeof raw !== 'string') throw fail();
      return { N: normalizeNumber(raw) };
    case 'B':
      if (typeof raw !== 'string') throw fail();
      try {
        decodeBinary(raw);
      } catch {
        throw validation(`Invalid Base64 value at ${where}`);
      }
      return { B: raw };
    case 'BOOL':
      if (typeof raw !== 'boolean') throw fail();
      return { BOOL: raw };
    case 'NULL':
      if (raw !== true) throw invalidNull();
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(raw) || raw.some((m) => typeof m !== 'string')) throw fail();
      const members = raw as string[];
      const label = { SS: 'string', NS: 'number', BS: 'binary' }[type];
      if (members.length === 0) throw validation(`One or more parameter values were invalid: An ${label} set  may not be empty`);
      const checked = members.map((m) => checkValue({ [type.slice(0, 1)]: m }, where));
      for (let i = 0; i < checked.length; i++) {
        for (let j = i + 1; j < checked.length; j++) {
          if (valuesEqual(checked[i] as AttributeValue, checked[j] as AttributeValue)) {
            throw validation(`One or more parameter values were invalid: Input collection [${members.join(', ')}] contains duplicates.`);
          }
        }
      }
      if (type === 'NS') return { NS: checked.map((m) => (m as { N: string }).N) };
      return type === 'SS' ? { SS: members } : { BS: members };
    }
    case 'L':
      if (!Array.isArray(raw)) throw fail();
      return { L: raw.map((v, i) => checkValue(v, `${where}[${i}]`)) };
    case 'M':
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail();
      return { M: checkItem(raw, where) };
  }
}

const invalidNull = () => validation('One or more parameter values were invalid: Null attribute value types must have the value of true');

/**
 * A map keyed by request input (attribute names, placeholders, table names): without a prototype,
 * `__proto__`, `constructor` or `toString` are keys like any other, and nothing is inherited.
 */
export function emptyMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A deep copy that keeps maps prototype-free (structuredClone would give them Object.prototype). */
export function cloneValue(value: AttributeValue): AttributeValue {
  if ('M' in value) return { M: cloneItem(value.M) };
  if ('L' in value) return { L: value.L.map(cloneValue) };
  return structuredClone(value);
}

export function cloneItem(item: Item): Item {
  const copy = emptyMap<AttributeValue>();
  for (const [name, value] of Object.entries(item)) copy[name] = cloneValue(value);
  return copy;
}

export function checkItem(raw: unknown, where: string): Item {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw validation(`${where} must be a map of attribute values`);
  const item = emptyMap<AttributeValue>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    item[name] = checkValue(value, `${where}.${name}`);
  }
  return item;
}

// ---------------------------------------------------------------------------------------------
// Size, as DynamoDB counts it for capacity and the item limit.

/**
 * Size of a number in bytes: DynamoDB stores two decimal digits per byte plus one byte of
 * sign and exponent ("approximately (length of attribute value)/2 + 1", developer guide,
 * CapacityUnitCalculations). The exact rule here (pairs aligned on the exponent, one more byte
 * for negatives) is the one dynalite reverse-engineered; the shared vectors check it against dynalite.
 */
function numberSize(text: string): number {
  const d = parseDecimal(text);
  if (d.digits === '') return 1;
  const scientificExponent = d.digits.length + d.exponent - 1;
  const padded = d.digits.length % 2 === 0 && scientificExponent % 2 === 0;
  return 1 + Math.ceil(d.digits.length / 2) + (padded ? 1 : 0) + (d.negative ? 1 : 0);
}

export function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return decodeBinary(value.B).length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if ('M' in value) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return setMembers(value).reduce((sum, m) => sum + valueSize(m), 0);
}

/** Attribute names count too, in UTF-8 bytes. */
export const itemSize = (item: Item): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8Length(name) + valueSize(value), 0);

// ---------------------------------------------------------------------------------------------
// Page size: how much of Query's 1 MB page an item uses.

/**
 * DynamoDB stops a Query page at 1 MB of items *as stored*, which is not the capacity size above:
 * attribute names are dictionary-encoded (one byte each), values carry length prefixes, and each
 * item has per-3 KB overhead that repeats the sort key. This is dynalite's reverse-engineered model
 * of that format (checked there against DynamoDB); the shared vectors hold the two together.
 */
export function pageSize(item: Item, sortKey: string | undefined): number {
  let sortKeySize = 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (name === sortKey) {
      sortKeySize = valueSize(value);
      continue;
    }
    size += storedValueSize(value) + 1;
  }
  return 2 + size + (1 + Math.floor((1 + size) / 3072)) * (18 + sortKeySize);
}

function storedValueSize(value: AttributeValue): number {
  if ('S' in value) {
    const bytes = utf8Length(value.S);
    return bytes + (bytes < 128 ? 1 : bytes < 16384 ? 2 : 3);
  }
  if ('N' in value || 'B' in value) return valueSize(value) + 1;
  if ('SS' in value || 'NS' in value || 'BS' in value) return valueSize(value) + setMembers(value).length + 1;
  if ('NULL' in value) return 0;
  if ('BOOL' in value) return 1;
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + storedValueSize(v), 0);
  const entries = Object.values(value.M);
  return 3 + entries.length + entries.reduce((sum, v) => sum + storedValueSize(v) + 1, 0);
}
