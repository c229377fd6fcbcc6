/**
 * Reading an item through parsed expressions: conditions evaluated against it, and the parts of it
 * at document paths (projections, UPDATED_OLD and UPDATED_NEW).
 */
import type { Comparator, Condition, Operand, Path, PathElement } from './expression-parser.ts';
import { type AttributeValue, type Item, compareScalars, cloneValue, emptyMap, setMembers, typeOf, utf8Length, valuesEqual } from './values.ts';

export function child(value: AttributeValue, element: PathElement): AttributeValue | undefined {
  if (typeof element === 'number') return 'L' in value ? value.L[element] : undefined;
  return 'M' in value && Object.hasOwn(value.M, element) ? value.M[element] : undefined;
}

export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const element of path) {
    if (current === undefined) return undefined;
    current = child(current, element);
  }
  return current;
}

export function operandValue(item: Item, operand: Operand): AttributeValue | undefined {
  if (operand.kind === 'value') return operand.value;
  const value = getPath(item, operand.path);
  if (operand.kind === 'path' || value === undefined) return value;
  if ('S' in value) return { N: String(utf8Length(value.S)) };
  if ('B' in value) return { N: String(atob(value.B).length) };
  if ('L' in value) return { N: String(value.L.length) };
  if ('M' in value) return { N: String(Object.keys(value.M).length) };
  if ('SS' in value || 'NS' in value || 'BS' in value) return { N: String(setMembers(value).length) };
  return undefined;
}

export function compareWith(op: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '=') return left !== undefined && right !== undefined && valuesEqual(left, right);
  if (op === '<>') return left === undefined || right === undefined || !valuesEqual(left, right);
  if (left === undefined || right === undefined) return false;
  const order = compareScalars(left, right);
  if (order === undefined) return false;
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
}

export function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) return atob(value.B).startsWith(atob(prefix.B));
  return false;
}

export function evaluate(condition: Condition, item: Item): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.operand, item);
    case 'compare':
      return compareWith(condition.op, operandValue(item, condition.left), operandValue(item, condition.right));
    case 'between': {
      const subject = operandValue(item, condition.subject);
      return compareWith('>=', subject, operandValue(item, condition.low)) && compareWith('<=', subject, operandValue(item, condition.high));
    }
    case 'in': {
      const subject = operandValue(item, condition.subject);
      return subject !== undefined && condition.list.some((o) => compareWith('=', subject, operandValue(item, o)));
    }
    case 'exists':
      return getPath(item, condition.path) !== undefined;
    case 'not_exists':
      return getPath(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = getPath(item, condition.path);
      const type = operandValue(item, condition.type);
      return value !== undefined && type !== undefined && 'S' in type && typeOf(value) === type.S;
    }
    case 'begins_with':
      return beginsWith(getPath(item, condition.path), operandValue(item, condition.operand));
    case 'contains': {
      const value = getPath(item, condition.path);
      const needle = operandValue(item, condition.operand);
      if (value === undefined || needle === undefined) return false;
      if ('S' in value) return 'S' in needle && value.S.includes(needle.S);
      if ('B' in value) return 'B' in needle && atob(value.B).includes(atob(needle.B));
      if ('L' in value) return value.L.some((v) => valuesEqual(v, needle));
      return setMembers(value).some((m) => valuesEqual(m, needle));
    }
  }
}

/**
 * The parts of an item at the given paths, shaped like the item (what UPDATED_OLD and UPDATED_NEW
 * return): maps keep their keys, list elements keep their order but not their indexes.
 */
export function projectPaths(item: Item, paths: Path[]): Item {
  const root = emptyMap<AttributeValue>();
  const listIndexes = new WeakMap<AttributeValue[], number[]>();
  const slot = (list: AttributeValue[], index: number): number => {
    const indexes = listIndexes.get(list) ?? [];
    listIndexes.set(list, indexes);
    const at = indexes.indexOf(index);
    if (at >= 0) return at;
    const position = indexes.filter((i) => i < index).length;
    indexes.splice(position, 0, index);
    list.splice(position, 0, { NULL: true });
    return position;
  };
  for (const path of paths) {
    const value = getPath(item, path);
    if (value === undefined) continue;
    let container: AttributeValue = { M: root };
    path.forEach((element, depth) => {
      const last = depth === path.length - 1;
      const fresh = (): AttributeValue => (typeof path[depth + 1] === 'number' ? { L: [] } : { M: emptyMap() });
      if (typeof element === 'number' && 'L' in container) {
        const position = slot(container.L, element);
        // A new slot holds a NULL placeholder until this path (or a later one) fills it.
        if (last) container.L[position] = cloneValue(value);
        else if ('NULL' in (container.L[position] as AttributeValue)) container.L[position] = fresh();
        container = container.L[position] as AttributeValue;
      } else if (typeof element === 'string' && 'M' in container) {
        if (last) container.M[element] = cloneValue(value);
        else container.M[element] ??= fresh();
        container = container.M[element] as AttributeValue;
      }
    });
  }
  return root;
}
