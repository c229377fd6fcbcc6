/**
 * DynamoDB's expression language parsed: condition, projection and update expressions, parsed once
 * per request into the trees below, which `expression-evaluation.ts` and `update-application.ts`
 * apply to items.
 *
 * Names and values are resolved while parsing, through the request's `ExpressionScope`, so a
 * request is rejected the way DynamoDB rejects it when a placeholder is undefined or a reserved
 * word is used directly.
 */
import { validation } from './errors.ts';
import type { ExpressionScope } from './expression-scope.ts';
import { isReservedWord } from './reserved-words.ts';
import { type AttributeValue, compareScalars, typeOf } from './values.ts';

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

/** Every document path an update plan writes or removes. */
export const updatedPaths = (plan: UpdatePlan): Path[] => [...plan.set.map((s) => s.path), ...plan.remove, ...plan.add.map((a) => a.path), ...plan.delete.map((d) => d.path)];

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

  /** `item (, item)*`, for argument lists, IN lists, projections and update actions. */
  list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.peek().text === ',') {
      this.next();
      items.push(item());
    }
    return items;
  }

  // condition := conjunction (OR conjunction)* ; conjunction := negation (AND negation)*
  condition(): Condition {
    return this.chain('or', () => this.chain('and', () => this.negation()));
  }

  /** Left-associative `operand KEYWORD operand …`. */
  private chain(kind: 'and' | 'or', operand: () => Condition): Condition {
    let left = operand();
    while (this.isKeyword(kind.toUpperCase())) {
      this.next();
      left = { kind, left, right: operand() };
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
      const list = this.list(() => this.operand());
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
    const args = this.list(() => this.operand());
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
      this.list(action);
    }
    checkOverlaps(updatedPaths(plan), this.kind);
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
  const paths = parser.list(() => parser.path());
  if (!parser.atEnd()) parser.fail();
  checkOverlaps(paths, kind);
  return paths;
};

export const parseUpdate = (source: string, scope: ExpressionScope): UpdatePlan => {
  const parser = new Parser(source, 'UpdateExpression', scope);
  return parser.update();
};
