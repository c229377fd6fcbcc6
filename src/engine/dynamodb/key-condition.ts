/**
 * Key conditions: `pk = :v [AND sk <op> :v | sk BETWEEN :a AND :b | begins_with(sk, :v)]`, checked
 * as far as possible without the table, then bound to its key schema, then matched against sort keys.
 */
import { validation } from './errors.ts';
import { beginsWith, compareWith } from './expression-evaluation.ts';
import { type Comparator, type Condition, type Operand, type Path, parseCondition } from './expression-parser.ts';
import type { ExpressionScope } from './expression-scope.ts';
import { type AttributeValue, compareScalars } from './values.ts';

export type SortKeyCondition =
  | { op: Comparator; value: AttributeValue }
  | { op: 'between'; low: AttributeValue; high: AttributeValue }
  | { op: 'begins_with'; value: AttributeValue };

export interface KeyCondition {
  partitionKey: string;
  partitionValue: AttributeValue;
  sortKey?: string;
  sort?: SortKeyCondition;
}

/** A key condition's parts by attribute name, checked as far as possible without the table. */
export type KeyConditionParts = Map<string, SortKeyCondition>;

export function parseKeyCondition(source: string, scope: ExpressionScope): KeyConditionParts {
  const kind = 'KeyConditionExpression';
  const condition = parseCondition(source, scope, kind);
  const parts = condition.kind === 'and' ? [condition.left, condition.right] : [condition];
  if (parts.some((p) => p.kind === 'and')) throw validation(`Conditions can be of length 1 or 2 only`);
  const found: KeyConditionParts = new Map();
  for (const part of parts) {
    const { name, condition: sortCondition } = keyPart(part, kind);
    if (found.has(name)) throw validation(`KeyConditionExpressions must only contain one condition per key`);
    found.set(name, sortCondition);
  }
  return found;
}

/** Matches the parts to the table's key schema. */
export function bindKeyCondition(parts: KeyConditionParts, keyNames: { hash: string; range?: string | undefined }): KeyCondition {
  const found = new Map(parts);
  const hash = found.get(keyNames.hash);
  if (hash && hash.op !== '=') throw validation('Query key condition not supported');
  if (!hash || hash.op !== '=') throw validation(`Query condition missed key schema element: ${keyNames.hash}`);
  found.delete(keyNames.hash);
  const [other] = [...found.entries()];
  if (other && other[0] !== keyNames.range) throw validation(`Query condition missed key schema element: ${keyNames.range ?? keyNames.hash}`);
  return {
    partitionKey: keyNames.hash,
    partitionValue: hash.value,
    ...(other ? { sortKey: other[0], sort: other[1] } : {}),
  };
}

function keyPart(part: Condition, kind: string): { name: string; condition: SortKeyCondition } {
  const bare = (path: Path) => {
    if (path.length > 1) throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
    return path[0] as string;
  };
  const literal = (operand: Operand): AttributeValue => {
    if (operand.kind !== 'value') throw validation(`Invalid condition in ${kind}: Multiple attribute names used in one condition`);
    return operand.value;
  };
  switch (part.kind) {
    case 'compare': {
      if (part.op === '<>') throw validation(`Invalid operator used in ${kind}: <>`);
      const flipped: Record<Comparator, Comparator> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
      if (part.left.kind === 'path') return { name: bare(part.left.path), condition: { op: part.op, value: literal(part.right) } };
      if (part.right.kind === 'path') return { name: bare(part.right.path), condition: { op: flipped[part.op], value: literal(part.left) } };
      throw validation(`Invalid condition in ${kind}: No key attribute specified`);
    }
    case 'between':
      if (part.subject.kind !== 'path') throw validation(`Invalid condition in ${kind}: BETWEEN operator must have the key attribute as its first operand`);
      return { name: bare(part.subject.path), condition: { op: 'between', low: literal(part.low), high: literal(part.high) } };
    case 'begins_with':
      return { name: bare(part.path), condition: { op: 'begins_with', value: literal(part.operand) } };
    case 'or':
    case 'not':
    case 'in':
      throw validation(`Invalid operator used in ${kind}: ${part.kind.toUpperCase()}`);
    case 'exists':
    case 'not_exists':
    case 'attribute_type':
    case 'contains':
      throw validation(`Invalid operator used in ${kind}: ${{ exists: 'attribute_exists', not_exists: 'attribute_not_exists', attribute_type: 'attribute_type', contains: 'contains' }[part.kind]}`);
    default:
      throw validation(`Invalid ${kind}: conditions can be of length 1 or 2 only`);
  }
}

export function matchesSortKey(value: AttributeValue, condition: SortKeyCondition): boolean {
  if (condition.op === 'between') {
    const low = compareScalars(value, condition.low);
    const high = compareScalars(value, condition.high);
    return low !== undefined && high !== undefined && low >= 0 && high <= 0;
  }
  if (condition.op === 'begins_with') return beginsWith(value, condition.value);
  return compareWith(condition.op, value, condition.value);
}
