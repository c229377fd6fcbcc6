/**
 * Applying a parsed update expression to an item. Right-hand sides read the item as it was before
 * the update.
 */
import { validation } from './errors.ts';
import { child, getPath, operandValue } from './expression-evaluation.ts';
import type { Path, PathElement, SetValue, UpdatePlan } from './expression-parser.ts';
import { type AttributeValue, type Item, addNumbers, cloneItem, setMembers, typeOf, valuesEqual } from './values.ts';

const invalidPath = () => validation('The document path provided in the update expression is invalid for update');
const wrongOperandType = () => validation('An operand in the update expression has an incorrect data type');

function resolveSetValue(item: Item, value: SetValue): AttributeValue {
  switch (value.kind) {
    case 'operand': {
      const resolved = operandValue(item, value.operand);
      if (resolved === undefined) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return resolved;
    }
    case 'if_not_exists':
      return getPath(item, value.path) ?? resolveSetValue(item, value.fallback);
    case 'list_append': {
      const left = resolveSetValue(item, value.left);
      const right = resolveSetValue(item, value.right);
      if (!('L' in left) || !('L' in right)) throw wrongOperandType();
      return { L: [...left.L, ...right.L] };
    }
    case 'arithmetic': {
      const left = resolveSetValue(item, value.left);
      const right = resolveSetValue(item, value.right);
      if (!('N' in left) || !('N' in right)) throw wrongOperandType();
      return { N: addNumbers(left.N, right.N, value.op === '-') };
    }
  }
}

/** The container that holds the last element of `path`, created on the copy being updated. */
function parentOf(item: Item, path: Path): { container: AttributeValue; key: PathElement } | undefined {
  let container: AttributeValue = { M: item };
  for (const element of path.slice(0, -1)) {
    const next = child(container, element);
    if (next === undefined) return undefined;
    container = next;
  }
  return { container, key: path[path.length - 1] as PathElement };
}

function writePath(item: Item, path: Path, value: AttributeValue): void {
  const parent = parentOf(item, path);
  if (!parent) throw invalidPath();
  const { container, key } = parent;
  if (typeof key === 'number') {
    if (!('L' in container)) throw invalidPath();
    if (key >= container.L.length) container.L.push(value);
    else container.L[key] = value;
  } else {
    if (!('M' in container)) throw invalidPath();
    container.M[key] = value;
  }
}

function removePath(item: Item, path: Path): void {
  const parent = parentOf(item, path);
  if (!parent) return;
  const { container, key } = parent;
  if (typeof key === 'number') {
    if ('L' in container) container.L.splice(key, 1);
    else throw invalidPath();
  } else if ('M' in container) delete container.M[key];
  else throw invalidPath();
}

function setOf(type: 'SS' | 'NS' | 'BS', members: AttributeValue[]): AttributeValue {
  const raw = members.map((m) => Object.values(m)[0] as string);
  return type === 'SS' ? { SS: raw } : type === 'NS' ? { NS: raw } : { BS: raw };
}

/** Applies the plan to a deep copy; returns the new item and the document paths it touched. */
export function applyUpdate(original: Item, plan: UpdatePlan): { item: Item; touched: Path[] } {
  const item = cloneItem(original);
  const touched: Path[] = [];
  const resolved = plan.set.map((s) => ({ path: s.path, value: resolveSetValue(original, s.value) }));
  for (const { path, value } of resolved) {
    writePath(item, path, value);
    touched.push(path);
  }
  // Removing list elements from the highest index down keeps the other indexes valid.
  const removals = [...plan.remove].sort((a, b) => Number(b[b.length - 1]) - Number(a[a.length - 1]) || 0);
  for (const path of removals) {
    removePath(item, path);
    touched.push(path);
  }
  for (const { path, value } of plan.add) {
    const current = getPath(item, path);
    touched.push(path);
    if (current === undefined) {
      writePath(item, path, value);
    } else if ('N' in current && 'N' in value) {
      writePath(item, path, { N: addNumbers(current.N, value.N) });
    } else if (typeOf(current) === typeOf(value) && typeOf(value) !== 'N') {
      const members = setMembers(current);
      for (const m of setMembers(value)) if (!members.some((n) => valuesEqual(n, m))) members.push(m);
      writePath(item, path, setOf(typeOf(value) as 'SS' | 'NS' | 'BS', members));
    } else {
      throw wrongOperandType();
    }
  }
  for (const { path, value } of plan.delete) {
    const current = getPath(item, path);
    touched.push(path);
    if (current === undefined) continue;
    if (typeOf(current) !== typeOf(value)) throw wrongOperandType();
    const remaining = setMembers(current).filter((m) => !setMembers(value).some((n) => valuesEqual(n, m)));
    if (remaining.length === 0) removePath(item, path);
    else writePath(item, path, setOf(typeOf(value) as 'SS' | 'NS' | 'BS', remaining));
  }
  return { item, touched };
}
