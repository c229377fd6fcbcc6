/**
 * The Data API's SQL surface on PostgreSQL: `:name` placeholders become `$n` with the type the Field
 * carries (a cast, as the service's JDBC driver binds a typed value), and result columns become
 * typed Fields and column metadata.
 */
import { Buffer } from 'buffer';
import { DataApiError } from './errors.ts';

export type TypeHint = 'DATE' | 'DECIMAL' | 'JSON' | 'TIME' | 'TIMESTAMP' | 'UUID';

export interface Field {
  isNull?: boolean;
  booleanValue?: boolean;
  longValue?: number;
  doubleValue?: number;
  stringValue?: string;
  /** Base64 on the wire. */
  blobValue?: string;
  arrayValue?: unknown;
}

export interface SqlParameter {
  name?: string;
  value?: Field;
  typeHint?: TypeHint;
}

const HINT_CASTS: Record<TypeHint, string> = { DATE: 'date', DECIMAL: 'numeric', JSON: 'json', TIME: 'time', TIMESTAMP: 'timestamp', UUID: 'uuid' };

/** The value to bind and the SQL type it is bound as; a string without typeHint is a varchar, as AWS binds it. */
function bind(parameter: SqlParameter): { value: unknown; cast: string | null } {
  const field = parameter.value ?? {};
  // Own properties only: a typeHint of `toString` or `__proto__` is not a type.
  if (parameter.typeHint !== undefined && !Object.hasOwn(HINT_CASTS, parameter.typeHint)) throw new DataApiError('BadRequestException', `Invalid typeHint '${String(parameter.typeHint)}' for parameter '${parameter.name ?? ''}'`);
  if (typeof field !== 'object' || field === null) throw new DataApiError('BadRequestException', `The value of parameter '${parameter.name ?? ''}' must be a Field object`);
  if (field.arrayValue !== undefined) throw new DataApiError('BadRequestException', 'Array parameters are not supported.');
  if (field.isNull) return { value: null, cast: null };
  if (field.booleanValue !== undefined) return { value: field.booleanValue, cast: 'boolean' };
  if (field.longValue !== undefined) return { value: String(field.longValue), cast: 'int8' };
  if (field.doubleValue !== undefined) return { value: String(field.doubleValue), cast: 'float8' };
  if (field.blobValue !== undefined) return { value: Buffer.from(field.blobValue, 'base64'), cast: 'bytea' };
  if (field.stringValue !== undefined) return { value: field.stringValue, cast: parameter.typeHint ? HINT_CASTS[parameter.typeHint] : 'varchar' };
  throw new DataApiError('BadRequestException', `The parameter '${parameter.name ?? ''}' has no value`);
}

/**
 * Replaces `:name` outside strings, quoted identifiers, dollar quotes, comments and `::` casts. A
 * placeholder without a parameter stays as written, so PostgreSQL reports the syntax error.
 */
export function toPositional(sql: string, parameters: readonly SqlParameter[]): { text: string; values: unknown[] } {
  const byName = new Map<string, SqlParameter>();
  for (const p of parameters) {
    if (typeof p !== 'object' || p === null) throw new DataApiError('BadRequestException', 'Each parameter must be an object with a name and a value');
    if (typeof p.name !== 'string' || !p.name) throw new DataApiError('BadRequestException', 'Parameter name must not be empty');
    byName.set(p.name, p);
  }
  const numbers = new Map<string, string>();
  const values: unknown[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$' && /^\$[A-Za-z_]?\w*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(sql.slice(i))![0];
      if (/^\$\d+\$$/.test(tag)) {
        out += c;
        i++;
        continue;
      }
      const end = sql.indexOf(tag, i + tag.length);
      const j = end < 0 ? sql.length : end + tag.length;
      out += sql.slice(i, j);
      i = j;
    } else if (c === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && next !== undefined && /[A-Za-z_]/.test(next)) {
      const name = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))![0];
      const parameter = byName.get(name);
      if (!parameter) {
        out += `:${name}`;
      } else {
        let placeholder = numbers.get(name);
        if (!placeholder) {
          const { value, cast } = bind(parameter);
          values.push(value);
          placeholder = `$${values.length}${cast ? `::${cast}` : ''}`;
          numbers.set(name, placeholder);
        }
        out += placeholder;
      }
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, values };
}

/** PostgreSQL type OIDs the emulator names, with the java.sql.Types code the Data API reports for each. */
const TYPES: Record<number, { name: string; jdbc: number; signed?: boolean; caseSensitive?: boolean }> = {
  16: { name: 'bool', jdbc: -7 },
  17: { name: 'bytea', jdbc: -2 },
  18: { name: 'char', jdbc: 1, caseSensitive: true },
  19: { name: 'name', jdbc: 12, caseSensitive: true },
  20: { name: 'int8', jdbc: -5, signed: true },
  21: { name: 'int2', jdbc: 5, signed: true },
  23: { name: 'int4', jdbc: 4, signed: true },
  25: { name: 'text', jdbc: 12, caseSensitive: true },
  26: { name: 'oid', jdbc: -5 },
  114: { name: 'json', jdbc: 1111, caseSensitive: true },
  700: { name: 'float4', jdbc: 7, signed: true },
  701: { name: 'float8', jdbc: 8, signed: true },
  1042: { name: 'bpchar', jdbc: 1, caseSensitive: true },
  1043: { name: 'varchar', jdbc: 12, caseSensitive: true },
  1082: { name: 'date', jdbc: 91 },
  1083: { name: 'time', jdbc: 92 },
  1114: { name: 'timestamp', jdbc: 93 },
  1184: { name: 'timestamptz', jdbc: 93 },
  1700: { name: 'numeric', jdbc: 2, signed: true },
  2950: { name: 'uuid', jdbc: 1111 },
  3802: { name: 'jsonb', jdbc: 1111, caseSensitive: true },
};

export interface ResultField {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
}

export interface ColumnMetadata {
  name: string;
  label: string;
  type: number;
  typeName: string;
  schemaName: string;
  tableName: string;
  nullable: number;
  precision: number;
  scale: number;
  isAutoIncrement: boolean;
  isCaseSensitive: boolean;
  isCurrency: boolean;
  isSigned: boolean;
  arrayBaseColumnType: number;
}

export function columnMetadata(field: ResultField): ColumnMetadata {
  const type = TYPES[field.dataTypeID] ?? { name: `oid:${field.dataTypeID}`, jdbc: 1111 };
  return {
    name: field.name,
    label: field.name,
    type: type.jdbc,
    typeName: type.name,
    schemaName: '',
    tableName: '',
    // columnNullableUnknown: the emulator does not look columns up in the catalogue.
    nullable: 2,
    precision: 0,
    scale: 0,
    isAutoIncrement: false,
    isCaseSensitive: type.caseSensitive ?? false,
    isCurrency: false,
    isSigned: type.signed ?? false,
    arrayBaseColumnType: 0,
  };
}

/** One PostgreSQL text value as the Field the Data API returns for its type. */
export function toField(text: string | null, dataTypeID: number): Field {
  if (text === null) return { isNull: true };
  switch (dataTypeID) {
    case 16:
      return { booleanValue: text === 't' };
    case 20:
    case 21:
    case 23:
    case 26:
      return { longValue: Number(text) };
    case 700:
    case 701:
      return { doubleValue: Number(text) };
    case 17:
      return { blobValue: Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex').toString('base64') };
    default:
      return { stringValue: text };
  }
}

/** The same value in `formattedRecords` (formatRecordsAs: "JSON"). */
export function toJsonValue(field: Field): unknown {
  if (field.isNull) return null;
  return field.booleanValue ?? field.longValue ?? field.doubleValue ?? field.stringValue ?? field.blobValue ?? null;
}
