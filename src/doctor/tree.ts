/**
 * What both language readers need from a Lezer tree: positions as line and column, a node's text and
 * children, and the string-literal decoding both grammars share.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Option, Options, Place, Value } from './model.ts';

export class SourceText {
  private readonly lineStarts: number[] = [0];
  readonly text: string;
  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  place(node: { from: number; to: number }): Place {
    const start = this.lineOf(node.from);
    const end = this.lineOf(node.to);
    return { line: start + 1, column: node.from - this.lineStarts[start]! + 1, endLine: end + 1, endColumn: node.to - this.lineStarts[end]! + 1, from: node.from, to: node.to };
  }

  /** The 0-based line of a character offset. */
  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  of(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }
}

const COMMENTS = new Set(['Comment', 'LineComment', 'BlockComment']);

/** A node's children, comments left out: a comment between arguments is not an argument. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (!COMMENTS.has(child.name)) out.push(child);
  return out;
}

/** Every node under `node` (itself included), depth first. */
export function descendants(node: SyntaxNode, visit: (node: SyntaxNode) => void): void {
  const cursor = node.cursor();
  const end = node.to;
  do {
    visit(cursor.node);
  } while (cursor.next() && cursor.from < end);
}

export function ancestors(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let parent = node.parent; parent; parent = parent.parent) out.push(parent);
  return out;
}

/** The content of a quoted literal ('…', "…", '''…''', r"…"), with the common escapes decoded. */
export function unquote(literal: string): string {
  const body = literal.replace(/^[rRbBuU]*/, '');
  const quote = body.startsWith('"""') || body.startsWith("'''") ? 3 : 1;
  return body.slice(quote, body.length - quote).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** A number or string literal's value: both grammars name these nodes alike. */
export function literal(node: SyntaxNode, text: string): Value | undefined {
  if (node.name === 'Number') return { kind: 'number', value: Number(text.replace(/_/g, '')) };
  if (node.name === 'String') return { kind: 'string', value: unquote(text) };
  return undefined;
}

export const emptyOptions = (): Options => ({ entries: new Map(), open: false });
export const unknownOptions = (): Options => ({ entries: new Map(), open: true });

/** A nested setting by dotted path (`ssl.rejectUnauthorized`), or undefined when it is not there. */
export function lookup(options: Options, path: string): Option | undefined {
  const [head, ...rest] = path.split('.');
  const entry = options.entries.get(head!);
  if (!entry || rest.length === 0) return entry;
  return entry.value.kind === 'object' ? lookup(entry.value.options, rest.join('.')) : undefined;
}

/** Literal pieces joined: strings and numbers stay known, anything else makes the result built. */
export function join(left: Value, right: Value, how: 'concatenation' | 'interpolation' | 'format'): Value {
  const known = (v: Value) => v.kind === 'string' || v.kind === 'number';
  const text = (v: Value) => (v.kind === 'string' ? v.value : v.kind === 'number' ? String(v.value) : v.kind === 'built' ? v.literal : ' ');
  if (known(left) && known(right)) return { kind: 'string', value: text(left) + text(right) };
  return { kind: 'built', how: left.kind === 'built' ? left.how : right.kind === 'built' ? right.how : how, literal: text(left) + text(right) };
}

/** PostgreSQL's answer to a wrong password, as code reacting to it names it: SQLSTATE 28P01, its condition name, psycopg's class, its message. */
const REFUSED_LOGIN = /^(28P01|invalid_password|InvalidPassword)$|password authentication failed/;
export const namesRefusedLogin = (written: string): boolean => REFUSED_LOGIN.test(written);

/** The Extensions API's register call (`…/2020-01-01/extension/register`): code that registers an internal extension, so Lambda sends its runtime SIGTERM. */
export const namesExtensionRegistration = (written: string): boolean => written.includes('/extension/register');
