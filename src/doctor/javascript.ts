/**
 * The JavaScript and TypeScript reader: a Lezer syntax tree (ESM or CommonJS) in, HandlerFacts out.
 * It resolves import aliases (`import pg from 'pg'`, `const { Pool } = require('pg')`), finds the
 * handler export, and decides for each creation whether it runs once per environment or per invocation.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/javascript';
import { noFacts, type Closing, type Creation, type HandlerFacts, type Options, type Scope, type TokenSigning, type Value } from './model.ts';
import { ancestors, children, descendants, emptyOptions, join, literal, lookup, namesExtensionRegistration, namesRefusedLogin, SourceText, unknownOptions, unquote } from './tree.ts';

const FUNCTION = new Set(['ArrowFunction', 'FunctionDeclaration', 'FunctionExpression', 'MethodDeclaration']);

/** What a call calls: `pool.query` also in TypeScript's `pool.query<Row>(…)`. */
const calleeOf = (call: SyntaxNode): SyntaxNode | null => (call.firstChild?.name === 'InstantiationExpression' ? call.firstChild.firstChild : call.firstChild);

const CREATIONS: Record<string, { shape: Creation['shape'] }> = {
  'pg.Pool': { shape: 'pool' },
  'pg.Client': { shape: 'client' },
  'pg.default.Pool': { shape: 'pool' },
  'pg.default.Client': { shape: 'client' },
  'pg.native.Pool': { shape: 'pool' },
  'pg.native.Client': { shape: 'client' },
};

const SECRET_READS = new Set(['@aws-sdk/client-secrets-manager.GetSecretValueCommand']);
/** `process.on('SIGTERM', …)` and its synonyms. */
const LISTENS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

const DATA_API_STATEMENTS = new Set(['@aws-sdk/client-rds-data.ExecuteStatementCommand', '@aws-sdk/client-rds-data.BatchExecuteStatementCommand']);

export function readJavaScript(text: string, typescript: boolean, handlerName = 'handler'): HandlerFacts {
  const source = new SourceText(text);
  const tree = (typescript ? parser.configure({ dialect: 'ts' }) : parser).parse(text);
  const top = tree.topNode;
  const of = (node: SyntaxNode) => source.of(node);

  // Import aliases: local name → module path (`pg`, `pg.Pool`).
  const aliases = new Map<string, string>();
  // Module-level names and the expression each was first given (for constants and shorthand options).
  const moduleNames = new Set<string>();
  const initializers = new Map<string, SyntaxNode>();
  const functions = new Map<string, SyntaxNode>();

  const requireOf = (node: SyntaxNode | null): string | undefined => {
    if (node?.name === 'CallExpression' && node.firstChild && of(node.firstChild) === 'require') {
      const arg = node.getChild('ArgList')?.getChild('String');
      return arg ? unquote(of(arg)) : undefined;
    }
    if (node?.name === 'MemberExpression') {
      const object = requireOf(node.firstChild);
      const property = node.getChild('PropertyName');
      return object && property ? `${object}.${of(property)}` : undefined;
    }
    return undefined;
  };

  const declare = (declaration: SyntaxNode, atModule: boolean) => {
    const parts = children(declaration);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const value = parts[i + 1]?.name === 'Equals' ? parts[i + 2] : parts[i + 1]?.name === 'TypeAnnotation' && parts[i + 2]?.name === 'Equals' ? parts[i + 3] : undefined;
      if (part.name === 'VariableDefinition') {
        const name = of(part);
        if (atModule) moduleNames.add(name);
        if (value && !initializers.has(name)) initializers.set(name, value);
        const required = requireOf(value ?? null);
        if (required) aliases.set(name, required);
        if (value && FUNCTION.has(value.name) && atModule) functions.set(name, value);
      } else if (part.name === 'ObjectPattern') {
        const required = value ? requireOf(value) : undefined;
        for (const property of part.getChildren('PatternProperty')) {
          const names = children(property);
          const key = names[0] ? of(names[0]) : '';
          const local = property.getChild('VariableDefinition');
          if (!local) continue;
          if (atModule) moduleNames.add(of(local));
          if (required) aliases.set(of(local), `${required}.${key}`);
        }
      }
    }
  };

  for (const statement of children(top)) {
    const inner = statement.name === 'ExportDeclaration' ? (statement.getChild('VariableDeclaration') ?? statement.getChild('FunctionDeclaration') ?? statement) : statement;
    if (statement.name === 'ImportDeclaration') {
      const from = statement.getChild('String');
      if (!from) continue;
      const module = unquote(of(from));
      const parts = children(statement);
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        if (part.name === 'VariableDefinition') aliases.set(of(part), module);
        if (part.name === 'ImportGroup') {
          const names = children(part);
          for (let j = 0; j < names.length; j++) {
            const name = names[j]!;
            if (name.name !== 'VariableName' && name.name !== 'VariableDefinition') continue;
            if (names[j + 1]?.name === 'as' && names[j + 2]) {
              aliases.set(of(names[j + 2]!), `${module}.${of(name)}`);
              j += 2;
            } else aliases.set(of(name), `${module}.${of(name)}`);
          }
        }
      }
    } else if (inner.name === 'VariableDeclaration') declare(inner, true);
    else if (inner.name === 'FunctionDeclaration') {
      const name = inner.getChild('VariableDefinition');
      if (name) {
        functions.set(of(name), inner);
        moduleNames.add(of(name));
      }
    }
  }
  descendants(top, (node) => {
    if (node.name === 'VariableDeclaration' && node.parent !== top && node.parent?.name !== 'ExportDeclaration') declare(node, false);
  });

  /** `pg.Pool` for `new pg.Pool`, `new Pool` (named import) or `new (require('pg').Pool)`. */
  const qualified = (callee: SyntaxNode): string | undefined => {
    if (callee.name === 'VariableName') return aliases.get(of(callee));
    if (callee.name === 'MemberExpression') {
      const object = callee.firstChild;
      const property = callee.getChild('PropertyName');
      if (!object || !property) return undefined;
      const base = qualified(object) ?? requireOf(object);
      return base ? `${base}.${of(property)}` : undefined;
    }
    if (callee.name === 'ParenthesizedExpression' && callee.firstChild?.nextSibling) return qualified(callee.firstChild.nextSibling);
    return undefined;
  };

  // The handler: export const/function handler, exports.handler =, module.exports = { handler }.
  let handlerNode: SyntaxNode | undefined;
  let handlerAt: SyntaxNode | undefined;
  const asFunction = (value: SyntaxNode | null | undefined): SyntaxNode | undefined => {
    if (!value) return undefined;
    if (FUNCTION.has(value.name)) return value;
    if (value.name === 'VariableName') return functions.get(of(value));
    // A wrapper such as middy(handler): the function it wraps.
    if (value.name === 'CallExpression') for (const arg of children(value.getChild('ArgList')!)) if (asFunction(arg)) return asFunction(arg);
    return undefined;
  };
  for (const statement of children(top)) {
    if (statement.name === 'ExportDeclaration') {
      const declaration = statement.getChild('VariableDeclaration');
      const fn = statement.getChild('FunctionDeclaration');
      if (fn && of(fn.getChild('VariableDefinition') ?? fn) === handlerName) [handlerNode, handlerAt] = [fn, fn];
      if (declaration) {
        const parts = children(declaration);
        const at = parts.findIndex((p) => p.name === 'VariableDefinition' && of(p) === handlerName);
        if (at >= 0) {
          const value = parts.slice(at + 1).find((p) => p.name !== 'Equals' && p.name !== 'TypeAnnotation');
          handlerNode = asFunction(value);
          handlerAt = parts[at];
        }
      }
      const group = statement.getChild('ExportGroup');
      if (group) for (const name of children(group)) if (of(name) === handlerName && functions.has(handlerName)) [handlerNode, handlerAt] = [functions.get(handlerName), name];
    }
    const assignment = statement.name === 'ExpressionStatement' ? statement.getChild('AssignmentExpression') : null;
    if (assignment?.firstChild) {
      const target = of(assignment.firstChild).replace(/\s/g, '');
      const value = assignment.lastChild;
      if (target === `exports.${handlerName}` || target === `module.exports.${handlerName}`) [handlerNode, handlerAt] = [asFunction(value), assignment.firstChild];
      if (target === 'module.exports' && value?.name === 'ObjectExpression') {
        for (const property of value.getChildren('Property')) {
          const key = property.getChild('PropertyDefinition');
          if (key && of(key) === handlerName) {
            const parts = children(property);
            handlerNode = asFunction(parts.length > 1 ? parts[parts.length - 1] : undefined) ?? functions.get(handlerName);
            handlerAt = key;
          }
        }
      }
    }
  }

  // Functions that run per invocation: the handler and what it calls by name, transitively, except
  // functions that fill a module-level cache (they assign a module variable: once per environment).
  const writesModuleVariable = (fn: SyntaxNode): boolean => {
    let writes = false;
    descendants(fn, (node) => {
      if (node.name === 'AssignmentExpression' && node.firstChild?.name === 'VariableName' && moduleNames.has(of(node.firstChild))) writes = true;
    });
    return writes;
  };
  const sameNode = (a: SyntaxNode, b: SyntaxNode) => a.from === b.from && a.to === b.to && a.name === b.name;

  /** Where an expression's value ends up: the variable it is assigned to, through await and parentheses. */
  const assignedTo = (node: SyntaxNode): { name: string; module: boolean } | undefined => {
    let current = node;
    while (current.parent && (current.parent.name === 'AwaitExpression' || current.parent.name === 'ParenthesizedExpression')) current = current.parent;
    const parent = current.parent;
    if (!parent) return undefined;
    if (parent.name === 'AssignmentExpression' && parent.firstChild?.name === 'VariableName') {
      const name = of(parent.firstChild);
      return { name, module: moduleNames.has(name) && !declaredInFunction(node, name) };
    }
    if (parent.name === 'VariableDeclaration') {
      let definition: SyntaxNode | null = current.prevSibling;
      while (definition && definition.name !== 'VariableDefinition') definition = definition.prevSibling;
      if (definition) return { name: of(definition), module: parent.parent === top || parent.parent?.name === 'ExportDeclaration' };
    }
    return undefined;
  };
  const declaredInFunction = (node: SyntaxNode, name: string): boolean => {
    for (const fn of ancestors(node).filter((a) => FUNCTION.has(a.name))) {
      let found = false;
      descendants(fn, (inner) => {
        if (inner.name === 'VariableDefinition' && of(inner) === name) found = true;
      });
      if (found) return true;
    }
    return false;
  };
  const perInvocation = new Set<SyntaxNode>();
  const pending = handlerNode ? [handlerNode] : [];
  while (pending.length) {
    const fn = pending.pop()!;
    if (perInvocation.has(fn)) continue;
    perInvocation.add(fn);
    descendants(fn, (node) => {
      if (node.name !== 'CallExpression' || calleeOf(node)?.name !== 'VariableName') return;
      const callee = functions.get(of(calleeOf(node)!));
      // `pool = makePool()` into a module variable: the function fills a cache, once per environment.
      if (assignedTo(node)?.module) return;
      if (callee && !perInvocation.has(callee) && !writesModuleVariable(callee)) pending.push(callee);
    });
  }
  /** Returned from its function: `return new Pool()`, or an arrow function's body, through await and parentheses. */
  const returned = (node: SyntaxNode): boolean => {
    let current = node;
    while (current.parent && (current.parent.name === 'AwaitExpression' || current.parent.name === 'ParenthesizedExpression')) current = current.parent;
    return current.parent?.name === 'ReturnStatement' || current.parent?.name === 'ArrowFunction';
  };
  const nameOf = (fn: SyntaxNode): string | undefined => [...functions].find(([, node]) => sameNode(node, fn))?.[0];
  // Factories whose result ends up in a module variable, directly or through another factory's return.
  const factories = new Set<string>();
  descendants(top, (node) => {
    const callee = node.name === 'CallExpression' ? calleeOf(node) : null;
    if (callee?.name === 'VariableName' && functions.has(of(callee)) && assignedTo(node)?.module) factories.add(of(callee));
  });
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of [...factories]) {
      descendants(functions.get(name)!, (node) => {
        const callee = node.name === 'CallExpression' ? calleeOf(node) : null;
        if (callee?.name === 'VariableName' && functions.has(of(callee)) && returned(node) && !factories.has(of(callee))) {
          factories.add(of(callee));
          grew = true;
        }
      });
    }
  }

  const scopeOf = (node: SyntaxNode): Scope => {
    const enclosing = ancestors(node).filter((a) => FUNCTION.has(a.name));
    if (enclosing.length === 0 || assignedTo(node)?.module) return 'init';
    const factory = nameOf(enclosing[0]!);
    if (returned(node) && factory && factories.has(factory)) return 'init';
    return enclosing.some((fn) => [...perInvocation].some((p) => sameNode(p, fn))) ? 'invocation' : 'elsewhere';
  };

  const valueOf = (node: SyntaxNode | null | undefined, depth = 0): Value => {
    if (!node || depth > 8) return { kind: 'unknown' };
    const known = literal(node, of(node));
    if (known) return known;
    switch (node.name) {
      case 'BooleanLiteral':
        return { kind: 'boolean', value: of(node) === 'true' };
      case 'null':
        return { kind: 'none' };
      case 'TemplateString': {
        let value: Value = { kind: 'string', value: '' };
        let last = node.from + 1;
        for (const part of node.getChildren('Interpolation')) {
          value = join(value, { kind: 'string', value: text.slice(last, part.from) }, 'interpolation');
          const expression = children(part).find((c) => c.name !== 'InterpolationStart' && c.name !== 'InterpolationEnd');
          value = join(value, valueOf(expression, depth + 1), 'interpolation');
          last = part.to;
        }
        return join(value, { kind: 'string', value: text.slice(last, node.to - 1) }, 'interpolation');
      }
      case 'ParenthesizedExpression':
        return valueOf(children(node)[1], depth + 1);
      case 'ArrowFunction':
      case 'FunctionExpression':
        return { kind: 'function' };
      case 'ObjectExpression':
        return { kind: 'object', options: optionsOf(node, depth + 1) };
      case 'VariableName': {
        const name = of(node);
        if (name === 'undefined') return { kind: 'none' };
        const initializer = initializers.get(name);
        return initializer ? valueOf(initializer, depth + 1) : { kind: 'unknown' };
      }
      case 'MemberExpression': {
        const written = of(node).replace(/\s/g, '');
        const env = /^process\.env(?:\.(\w+)|\[['"](\w+)['"]\])$/.exec(written);
        if (env) return { kind: 'env', name: env[1] ?? env[2] };
        return { kind: 'unknown' };
      }
      case 'BinaryExpression': {
        const [left, operator, right] = children(node);
        if (operator && (operator.name === 'LogicOp' || of(operator) === '??')) {
          const first = valueOf(left, depth + 1);
          return first.kind === 'env' ? first : { kind: 'unknown' };
        }
        if (operator && of(operator) === '+') {
          const a = valueOf(left, depth + 1);
          const b = valueOf(right, depth + 1);
          if (a.kind === 'string' || b.kind === 'string' || a.kind === 'built' || b.kind === 'built') return join(a, b, 'concatenation');
        }
        return { kind: 'unknown' };
      }
      default:
        return { kind: 'unknown' };
    }
  };

  const optionsOf = (object: SyntaxNode, depth = 0): Options => {
    const options = emptyOptions();
    for (const property of object.getChildren('Property')) {
      const parts = children(property);
      if (parts[0]?.name === 'Spread') {
        options.open = true;
        continue;
      }
      const key = parts[0];
      if (!key) continue;
      const name = key.name === 'String' ? unquote(of(key)) : of(key);
      const value = parts.length > 1 ? parts[parts.length - 1] : undefined;
      // Shorthand `{ host }`: the value is the variable of the same name.
      const resolved = value ? valueOf(value, depth) : (initializers.has(name) ? valueOf(initializers.get(name)!, depth + 1) : { kind: 'unknown' as const });
      options.entries.set(name, { value: resolved, place: source.place(property) });
    }
    return options;
  };

  /** A call's argument as settings: an object literal, or a constant holding one. */
  const argumentOptions = (arg: SyntaxNode | undefined): Options => {
    if (!arg) return emptyOptions();
    const value = valueOf(arg);
    return value.kind === 'object' ? value.options : unknownOptions();
  };

  /** Fetched once for the environment: at module level, into a module variable, or by a function that fills a module-level cache or whose result is kept in one. */
  const keptForEnvironment = (node: SyntaxNode): boolean => {
    const enclosing = ancestors(node).filter((a) => FUNCTION.has(a.name));
    return enclosing.length === 0 || assignedTo(node)?.module === true || enclosing.some((fn) => writesModuleVariable(fn) || factories.has(nameOf(fn) ?? ''));
  };
  /** The variables a listener ends (`x.end()`), in its body and the module functions it calls by name. */
  const closedBy = (listener: SyntaxNode): Set<string> => {
    const closed = new Set<string>();
    const seen = new Set<SyntaxNode>();
    const visit = (fn: SyntaxNode | undefined) => {
      if (!fn || [...seen].some((s) => sameNode(s, fn))) return;
      seen.add(fn);
      descendants(fn, (node) => {
        if (node.name !== 'CallExpression') return;
        const callee = calleeOf(node);
        if (callee?.name === 'VariableName') visit(functions.get(of(callee)));
        const method = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : null;
        if (method && of(method) === 'end' && callee!.firstChild?.name === 'VariableName') closed.add(of(callee!.firstChild));
      });
    };
    visit(listener.name === 'VariableName' ? functions.get(of(listener)) : listener);
    return closed;
  };

  const facts = noFacts(typescript ? 'typescript' : 'javascript', handlerAt ? { name: handlerName, place: source.place(handlerAt) } : undefined);
  const usesPg = [...aliases.values()].some((module) => module === 'pg' || module.startsWith('pg.'));

  descendants(top, (node) => {
    if (node.name === 'NewExpression') {
      const callee = children(node)[1];
      const name = callee ? qualified(callee) : undefined;
      if (!name) return;
      const args = node.getChild('ArgList');
      const first = args ? children(args).find((c) => c.name !== '(' && c.name !== ')' && c.name !== ',') : undefined;
      if (Object.hasOwn(CREATIONS, name)) {
        const options = first?.name === 'String' || first?.name === 'TemplateString' ? emptyOptions() : argumentOptions(first);
        const connectionString = first?.name === 'String' ? { value: valueOf(first), place: source.place(first) } : lookup(options, 'connectionString');
        facts.creations.push({
          driver: 'pg',
          shape: CREATIONS[name]!.shape,
          callee: name.replace('.default.', '.'),
          place: source.place(node),
          scope: scopeOf(node),
          binding: assignedTo(node)?.name,
          options,
          positional: [],
          connectionString,
        });
      } else if (SECRET_READS.has(name)) {
        facts.secretReads.push({ place: source.place(node), scope: keptForEnvironment(node) ? 'init' : scopeOf(node) });
      } else if (DATA_API_STATEMENTS.has(name)) {
        const sql = lookup(argumentOptions(first), 'sql');
        if (sql) facts.queries.push({ sql: sql.value, place: sql.place, scope: scopeOf(node), named: undefined });
      }
    } else if (node.name === 'CallExpression') {
      const callee = calleeOf(node);
      if (callee?.name !== 'MemberExpression') return;
      const method = callee.getChild('PropertyName');
      const receiver = callee.firstChild;
      if (!method || !receiver) return;
      const args = node.getChild('ArgList');
      const argList = args ? children(args).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',') : [];
      const name = of(method);
      if (name === 'query' && usesPg && argList[0]) {
        const config = valueOf(argList[0]);
        const sql = config.kind === 'object' ? (lookup(config.options, 'text')?.value ?? { kind: 'unknown' as const }) : config;
        const named = config.kind === 'object' ? config.options.entries.get('name')?.place : undefined;
        facts.queries.push({ sql, place: source.place(argList[0]), scope: scopeOf(node), named });
      } else if (LISTENS.has(name) && of(receiver) === 'process' && argList[0] && argList[1]) {
        const signal = valueOf(argList[0]);
        if (signal.kind === 'string' && signal.value === 'SIGTERM') {
          facts.shutdownHandlers.push(source.place(node));
          for (const closed of closedBy(argList[1])) facts.closedOnShutdown.add(closed);
        }
      } else if ((name === 'on' || name === 'once') && receiver.name === 'VariableName' && argList[0] && valueOf(argList[0]).kind === 'string') {
        const event = valueOf(argList[0]);
        if (event.kind === 'string' && event.value === 'error') facts.errorListeners.add(of(receiver));
      } else if (name === 'getAuthToken') {
        // Made inside any function, a token is fresh when that function runs; only a module-level
        // statement or a module variable keeps one for the environment's life.
        const kept = !ancestors(node).some((a) => FUNCTION.has(a.name)) || assignedTo(node)?.module === true;
        const signing: TokenSigning = { place: source.place(node), scope: kept ? 'init' : 'invocation' };
        facts.tokenSignings.push(signing);
      } else if (name === 'getSecretValue') {
        facts.secretReads.push({ place: source.place(node), scope: keptForEnvironment(node) ? 'init' : scopeOf(node) });
      } else if (name === 'end' && receiver.name === 'VariableName') {
        const closing: Closing = { binding: of(receiver), place: source.place(node), scope: scopeOf(node) };
        facts.closings.push(closing);
      }
    }
  });
  descendants(top, (node) => {
    if (node.name !== 'String' && node.name !== 'TemplateString') return;
    const written = node.name === 'String' ? unquote(of(node)) : of(node).slice(1, -1);
    if (namesRefusedLogin(written)) facts.handlesRefusedLogin = true;
    if (namesExtensionRegistration(written)) facts.registersExtension = true;
  });
  // Transactions: in each function, from a BEGIN sent on a client to its COMMIT or ROLLBACK, every
  // await that is neither a query nor work handed that client (a callback given the client) waits
  // for something else while the transaction, and its connection, stay open.
  const TRANSACTION_START = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
  const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK|END)\b/i;
  descendants(top, (fn) => {
    if (!FUNCTION.has(fn.name)) return;
    let open: string | undefined;
    descendants(fn, (node) => {
      if (node.name !== 'AwaitExpression') return;
      const nearest = ancestors(node).find((a) => FUNCTION.has(a.name));
      if (!nearest || !sameNode(nearest, fn)) return;
      const awaited = children(node)[1];
      const callee = awaited?.name === 'CallExpression' ? calleeOf(awaited) : null;
      const args = awaited?.name === 'CallExpression' ? children(awaited.getChild('ArgList')!).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',') : [];
      if (callee?.name === 'MemberExpression' && callee.getChild('PropertyName') && of(callee.getChild('PropertyName')!) === 'query') {
        const sql = args[0] ? valueOf(args[0]) : { kind: 'unknown' as const };
        if (sql.kind === 'string' && TRANSACTION_START.test(sql.value)) open = callee.firstChild ? of(callee.firstChild) : undefined;
        else if (sql.kind === 'string' && TRANSACTION_END.test(sql.value)) open = undefined;
        return;
      }
      if (open === undefined) return;
      if (args.some((arg) => arg.name === 'VariableName' && of(arg) === open)) return;
      facts.transactionWaits.push(source.place(node));
    });
  });
  return facts;
}

