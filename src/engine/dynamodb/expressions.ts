/**
 * DynamoDB's expression language: condition, key-condition and update expressions, parsed once per
 * request and evaluated against an item.
 *
 * Names and values are resolved while parsing, through one `ExpressionScope` per request, so the
 * request can be rejected the way DynamoDB rejects it when a placeholder is undefined or unused,
 * or when a reserved word is used directly.
 */
import { validation } from './errors.ts';
import { isReservedWord } from './reserved-words.ts';
import {
  type AttributeValue,
  type Item,
  addNumbers,
  compareScalars,
  setMembers,
  typeOf,
  utf8Length,
  valuesEqual,
  checkValue,
  cloneItem,
  cloneValue,
  emptyMap,
} from './values.ts';

export type PathElement = string | number;
export type Path = PathElement[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: Path };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'exists' | 'not_exists'; path: Path }
  | { kind: 'attribute_type'; path: Path; type: Operand }
  | { kind: 'begins_with' | 'contains'; path: Path; operand: Operand };

export type SetValue =
  | { kind: 'operand'; operand: Operand }
  | { kind: 'if_not_exists'; path: Path; fallback: SetValue }
  | { kind: 'list_append'; left: SetValue; right: SetValue }
  | { kind: 'arithmetic'; op: '+' | '-'; left: SetValue; right: SetValue };

export interface UpdatePlan {
  set: { path: Path; value: SetValue }[];
  remove: Path[];
  add: { path: Path; value: AttributeValue }[];
  delete: { path: Path; value: AttributeValue }[];
}

/** Placeholders of one request, with the ones the request's expressions actually used. */
export class ExpressionScope {
  private readonly names: Record<string, string>;
  private readonly values: Record<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(names: unknown, values: unknown) {
    this.names = Object.assign(emptyMap<string>(), names ?? {}) as Record<string, string>;
    if (names !== undefined && Object.keys(this.names).length === 0) {
      throw validation('ExpressionAttributeNames must not be empty');
    }
    if (values !== undefined && Object.keys(values as object).length === 0) {
      throw validation('ExpressionAttributeValues must not be empty');
    }
    this.values = emptyMap();
    for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
      this.values[name] = checkValue(value, `ExpressionAttributeValues.${name}`);
    }
  }

  name(placeholder: string, kind: string): string {
    const name = this.names[placeholder];
    if (name === undefined) {
      throw validation(`Invalid ${kind}: An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`);
    }
    this.usedNames.add(placeholder);
    return name;
  }

  value(placeholder: string, kind: string): AttributeValue {
    const value = this.values[placeholder];
    if (value === undefined) {
      throw validation(`Invalid ${kind}: An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
    }
    this.usedValues.add(placeholder);
    return value;
  }

  /** Call after every expression of the request has been parsed. */
  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((n) => !this.usedNames.has(n));
    if (unusedNames.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values).filter((v) => !this.usedValues.has(v));
    if (unusedValues.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

interface Token {
  kind: 'name' | 'placeholder' | 'value' | 'number' | 'punct' | 'end';
  text: string;
}

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

function tokenize(source: string, kind: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const word = /^(#|:)?[A-Za-z0-9_]+/.exec(rest);
    if (word) {
      const text = word[0];
      const tokenKind = text.startsWith('#') ? 'placeholder' : text.startsWith(':') ? 'value' : /^\d+$/.test(text) ? 'number' : 'name';
      tokens.push({ kind: tokenKind, text });
      i += text.length;
      continue;
    }
    const punct = PUNCT.find((p) => rest.startsWith(p));
    if (!punct) throw syntaxError(kind, rest.slice(0, 1), source.slice(Math.max(0, i - 5), i + 5));
    tokens.push({ kind: 'punct', text: punct });
    i += punct.length;
  }
  tokens.push({ kind: 'end', text: '<EOF>' });
  return tokens;
}

const syntaxError = (kind: string, token: string, near: string) =>
  validation(`Invalid ${kind}: Syntax error; token: "${token}", near: "${near}"`);

const CONDITION_FUNCTIONS = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'];
const UPDATE_FUNCTIONS = ['if_not_exists', 'list_append'];

class Parser {
  private position = 0;
  private readonly tokens: Token[];
  private readonly source: string;
  private readonly kind: string;
  private readonly scope: ExpressionScope;

  constructor(source: string, kind: string, scope: ExpressionScope) {
    this.source = source;
    this.kind = kind;
    this.scope = scope;
    if (source.trim() === '') throw validation(`Invalid ${kind}: The expression can not be empty;`);
    this.tokens = tokenize(source, kind);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    this.position++;
    return token;
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text.toUpperCase() === word;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text) this.fail(token);
  }

  fail(token: Token = this.peek()): never {
    throw syntaxError(this.kind, token.text, this.source);
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  // condition := or
  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.negation() };
    }
    return this.predicate();
  }

  predicate(): Condition {
    if (this.peek().text === '(') {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const token = this.peek();
    if (token.kind === 'name' && this.peek(1).text === '(' && token.text !== 'size') {
      return this.conditionFunction();
    }
    const subject = this.operand();
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isKeyword('AND')) this.fail();
      this.next();
      const high = this.operand();
      if (low.kind === 'value' && high.kind === 'value') {
        const order = compareScalars(low.value, high.value);
        if (order === undefined || order > 0) {
          throw validation(`Invalid ${this.kind}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${showValue(low.value)}, upper bound operand: AttributeValue: ${showValue(high.value)}`);
        }
      }
      return { kind: 'between', subject, low, high };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expect('(');
      const list = [this.operand()];
      while (this.peek().text === ',') {
        this.next();
        list.push(this.operand());
      }
      this.expect(')');
      return { kind: 'in', subject, list };
    }
    const op = this.next();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(op.text)) this.fail(op);
    return { kind: 'compare', op: op.text as Comparator, left: subject, right: this.operand() };
  }

  conditionFunction(): Condition {
    const name = this.next().text;
    if (!CONDITION_FUNCTIONS.includes(name)) {
      if (UPDATE_FUNCTIONS.includes(name)) throw validation(`Invalid ${this.kind}: The function is not allowed to be used this way in an expression; function: ${name}`);
      throw validation(`Invalid ${this.kind}: Invalid function name; function: ${name}`);
    }
    this.expect('(');
    const args = [this.operand()];
    while (this.peek().text === ',') {
      this.next();
      args.push(this.operand());
    }
    this.expect(')');
    const arity = name === 'attribute_exists' || name === 'attribute_not_exists' ? 1 : 2;
    if (args.length !== arity) {
      throw validation(`Invalid ${this.kind}: Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    }
    const [first, second] = args as [Operand, Operand | undefined];
    if (first.kind !== 'path') {
      throw validation(`Invalid ${this.kind}: Operator or function requires a document path; operator or function: ${name}`);
    }
    if (name === 'attribute_exists') return { kind: 'exists', path: first.path };
    if (name === 'attribute_not_exists') return { kind: 'not_exists', path: first.path };
    if (name === 'attribute_type') return { kind: 'attribute_type', path: first.path, type: second as Operand };
    return { kind: name as 'begins_with' | 'contains', path: first.path, operand: second as Operand };
  }

  operand(): Operand {
    const token = this.peek();
    if (token.kind === 'value') {
      this.next();
      return { kind: 'value', value: this.scope.value(token.text, this.kind) };
    }
    if (token.kind === 'name' && token.text === 'size' && this.peek(1).text === '(') {
      this.next();
      this.next();
      const inner = this.operand();
      this.expect(')');
      if (inner.kind !== 'path') throw validation(`Invalid ${this.kind}: Operator or function requires a document path; operator or function: size`);
      return { kind: 'size', path: inner.path };
    }
    if (token.kind === 'name' && this.peek(1).text === '(') {
      const name = token.text;
      if (CONDITION_FUNCTIONS.includes(name) || UPDATE_FUNCTIONS.includes(name)) {
        throw validation(`Invalid ${this.kind}: The function is not allowed to be used this way in an expression; function: ${name}`);
      }
      throw validation(`Invalid ${this.kind}: Invalid function name; function: ${name}`);
    }
    return { kind: 'path', path: this.path() };
  }

  path(): Path {
    const path: Path = [this.pathName()];
    for (;;) {
      if (this.peek().text === '.') {
        this.next();
        path.push(this.pathName());
      } else if (this.peek().text === '[') {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') this.fail(index);
        path.push(Number(index.text));
        this.expect(']');
      } else return path;
    }
  }

  pathName(): string {
    const token = this.next();
    if (token.kind === 'placeholder') return this.scope.name(token.text, this.kind);
    if (token.kind !== 'name' || /^\d/.test(token.text)) this.fail(token);
    if (isReservedWord(token.text)) {
      throw validation(`Invalid ${this.kind}: Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    }
    return token.text;
  }

  // update := clause+ ; clause := SET actions | REMOVE paths | ADD pairs | DELETE pairs
  update(): UpdatePlan {
    const plan: UpdatePlan = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (!this.atEnd()) {
      const clause = this.next();
      const keyword = clause.kind === 'name' ? clause.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(keyword)) this.fail(clause);
      if (seen.has(keyword)) throw validation(`Invalid ${this.kind}: The "${keyword}" section can only be used once in an update expression;`);
      seen.add(keyword);
      const action = () => {
        const path = this.path();
        if (keyword === 'SET') {
          this.expect('=');
          plan.set.push({ path, value: this.setValue() });
        } else if (keyword === 'REMOVE') {
          plan.remove.push(path);
        } else {
          const token = this.next();
          if (token.kind !== 'value') this.fail(token);
          const value = this.scope.value(token.text, this.kind);
          const type = typeOf(value);
          const allowed = keyword === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
          if (!allowed.includes(type)) {
            throw validation(`Invalid ${this.kind}: Incorrect operand type for operator or function; operator: ${keyword}, operand type: ${typeName(type)}`);
          }
          (keyword === 'ADD' ? plan.add : plan.delete).push({ path, value });
        }
      };
      action();
      while (this.peek().text === ',') {
        this.next();
        action();
      }
    }
    checkOverlaps([...plan.set.map((s) => s.path), ...plan.remove, ...plan.add.map((a) => a.path), ...plan.delete.map((d) => d.path)], this.kind);
    return plan;
  }

  setValue(): SetValue {
    const left = this.setTerm();
    const op = this.peek().text;
    if (op === '+' || op === '-') {
      this.next();
      return { kind: 'arithmetic', op, left, right: this.setTerm() };
    }
    return left;
  }

  setTerm(): SetValue {
    const token = this.peek();
    if (token.kind === 'name' && this.peek(1).text === '(' && UPDATE_FUNCTIONS.includes(token.text)) {
      this.next();
      this.expect('(');
      if (token.text === 'if_not_exists') {
        const subject = this.operand();
        if (subject.kind !== 'path') throw validation(`Invalid ${this.kind}: Operator or function requires a document path; operator or function: if_not_exists`);
        this.expect(',');
        const fallback = this.setTerm();
        this.expect(')');
        return { kind: 'if_not_exists', path: subject.path, fallback };
      }
      const left = this.setTerm();
      this.expect(',');
      const right = this.setTerm();
      this.expect(')');
      return { kind: 'list_append', left, right };
    }
    return { kind: 'operand', operand: this.operand() };
  }
}

/** DynamoDB prints attribute values in messages as `{N:5}`. */
const showValue = (value: AttributeValue): string => `{${typeOf(value)}:${String(Object.values(value)[0])}}`;

const typeName = (type: string): string =>
  ({ S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', SS: 'SS', NS: 'NS', BS: 'BS', L: 'LIST', M: 'MAP' })[type] ?? type;

function checkOverlaps(paths: Path[], kind: string): void {
  const show = (p: Path) => `[${p.join(', ')}]`;
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i] as Path;
      const b = paths[j] as Path;
      const shared = Math.min(a.length, b.length);
      if (a.slice(0, shared).every((e, k) => e === b[k])) {
        throw validation(`Invalid ${kind}: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${show(a)}, path two: ${show(b)}`);
      }
    }
  }
}

export const parseCondition = (source: string, scope: ExpressionScope, kind = 'ConditionExpression'): Condition => {
  const parser = new Parser(source, kind, scope);
  const condition = parser.condition();
  if (!parser.atEnd()) parser.fail();
  return condition;
};

/** `a, b.c, l[0]`: the document paths a read returns. */
export const parseProjection = (source: string, scope: ExpressionScope): Path[] => {
  const kind = 'ProjectionExpression';
  const parser = new Parser(source, kind, scope);
  const paths = [parser.path()];
  while (parser.peek().text === ',') {
    parser.next();
    paths.push(parser.path());
  }
  if (!parser.atEnd()) parser.fail();
  checkOverlaps(paths, kind);
  return paths;
};

export const parseUpdate = (source: string, scope: ExpressionScope): UpdatePlan => {
  const parser = new Parser(source, 'UpdateExpression', scope);
  return parser.update();
};

// ---------------------------------------------------------------------------------------------
// Key conditions: `pk = :v [AND sk <op> :v | sk BETWEEN :a AND :b | begins_with(sk, :v)]`.

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

// ---------------------------------------------------------------------------------------------
// Evaluation

function child(value: AttributeValue, element: PathElement): AttributeValue | undefined {
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

function operandValue(item: Item, operand: Operand): AttributeValue | undefined {
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

function compareWith(op: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '=') return left !== undefined && right !== undefined && valuesEqual(left, right);
  if (op === '<>') return left === undefined || right === undefined || !valuesEqual(left, right);
  if (left === undefined || right === undefined) return false;
  const order = compareScalars(left, right);
  if (order === undefined) return false;
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
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

// ---------------------------------------------------------------------------------------------
// Applying an update plan. Right-hand sides read the item as it was before the update.

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
