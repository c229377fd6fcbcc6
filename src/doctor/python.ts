/**
 * The Python reader: a Lezer syntax tree in, HandlerFacts out. Drivers: psycopg2 (and its pool),
 * psycopg 3 (and psycopg_pool), pg8000, SQLAlchemy's create_engine; boto3's rds-data statements.
 * A function with a `global` statement fills a module-level cache: what it creates lives as long as
 * the environment, so the doctor counts it as INIT, not per invocation.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import { noFacts, type Creation, type Driver, type HandlerFacts, type Options, type Scope, type Value } from './model.ts';
import { ancestors, children, descendants, emptyOptions, join, literal, namesExtensionRegistration, namesRefusedLogin, SourceText, unquote } from './tree.ts';

const CREATIONS: Record<string, { driver: Driver; shape: Creation['shape'] }> = {
  'psycopg2.connect': { driver: 'psycopg2', shape: 'client' },
  'psycopg2.pool.SimpleConnectionPool': { driver: 'psycopg2', shape: 'pool' },
  'psycopg2.pool.ThreadedConnectionPool': { driver: 'psycopg2', shape: 'pool' },
  'psycopg.connect': { driver: 'psycopg', shape: 'client' },
  'psycopg.Connection.connect': { driver: 'psycopg', shape: 'client' },
  'psycopg_pool.ConnectionPool': { driver: 'psycopg', shape: 'pool' },
  'pg8000.connect': { driver: 'pg8000', shape: 'client' },
  'pg8000.dbapi.connect': { driver: 'pg8000', shape: 'client' },
  'pg8000.native.Connection': { driver: 'pg8000', shape: 'client' },
  'sqlalchemy.create_engine': { driver: 'sqlalchemy', shape: 'engine' },
};

const SEPARATORS = new Set(['(', ')', ',']);
/** What closes a pool, a connection or an engine: psycopg2's pools `closeall()`, SQLAlchemy's engine `dispose()`. */
const CLOSES = new Set(['close', 'closeall', 'dispose']);
export const HANDLER_NAMES = ['lambda_handler', 'handler'];

export function readPython(text: string, handlerName?: string): HandlerFacts {
  const source = new SourceText(text);
  const top = parser.parse(text).topNode;
  const of = (node: SyntaxNode) => source.of(node);

  const aliases = new Map<string, string>();
  const moduleNames = new Set<string>();
  const initializers = new Map<string, SyntaxNode>();
  const functions = new Map<string, SyntaxNode>();

  for (const statement of children(top)) {
    if (statement.name === 'ImportStatement') readImport(statement);
    else if (statement.name === 'AssignStatement') {
      const target = statement.firstChild;
      if (target?.name === 'VariableName') {
        moduleNames.add(of(target));
        if (!initializers.has(of(target))) initializers.set(of(target), statement.lastChild!);
      }
    } else if (statement.name === 'FunctionDefinition' || statement.name === 'DecoratedStatement') {
      const definition = statement.name === 'FunctionDefinition' ? statement : statement.getChild('FunctionDefinition');
      const name = definition?.getChild('VariableName');
      if (definition && name) functions.set(of(name), definition);
    }
  }

  function readImport(statement: SyntaxNode): void {
    const parts = children(statement);
    const dotted = (from: number): [string, number] => {
      let name = '';
      let i = from;
      while (i < parts.length && (parts[i]!.name === 'VariableName' || parts[i]!.name === '.')) name += of(parts[i++]!);
      return [name, i];
    };
    if (parts[0]?.name === 'from') {
      const [module, after] = dotted(1);
      for (let i = after + 1; i < parts.length; i++) {
        const part = parts[i]!;
        if (part.name !== 'VariableName') continue;
        const local = parts[i + 1]?.name === 'as' && parts[i + 2] ? of(parts[i + 2]!) : of(part);
        aliases.set(local, `${module}.${of(part)}`);
        if (parts[i + 1]?.name === 'as') i += 2;
      }
      return;
    }
    for (let i = 1; i < parts.length; ) {
      const [module, after] = dotted(i);
      if (parts[after]?.name === 'as' && parts[after + 1]) {
        aliases.set(of(parts[after + 1]!), module);
        i = after + 3;
      } else {
        // `import psycopg2.pool` binds `psycopg2`; the dotted name then resolves through it.
        const head = module.split('.')[0]!;
        aliases.set(head, head);
        i = after + 1;
      }
    }
  }

  const qualified = (callee: SyntaxNode): string | undefined => {
    if (callee.name === 'VariableName') return aliases.get(of(callee));
    if (callee.name === 'MemberExpression') {
      const object = callee.firstChild;
      const property = callee.getChild('PropertyName');
      const base = object ? qualified(object) : undefined;
      return base && property ? `${base}.${of(property)}` : undefined;
    }
    return undefined;
  };

  const names = handlerName ? [handlerName] : HANDLER_NAMES;
  const handlerName_ = names.find((name) => functions.has(name));
  const handlerNode = handlerName_ ? functions.get(handlerName_) : undefined;

  const globalsOf = (fn: SyntaxNode): Set<string> => {
    const out = new Set<string>();
    descendants(fn, (node) => {
      if (node.name === 'ScopeStatement' && node.firstChild && of(node.firstChild) === 'global') for (const name of node.getChildren('VariableName')) out.add(of(name));
    });
    return out;
  };
  const assignedTo = (node: SyntaxNode): string | undefined => {
    let current = node;
    while (current.parent && (current.parent.name === 'AwaitExpression' || current.parent.name === 'ParenthesizedExpression')) current = current.parent;
    const parent = current.parent;
    if (parent?.name === 'AssignStatement' && parent.firstChild?.name === 'VariableName') return of(parent.firstChild);
    return undefined;
  };
  const perInvocation: SyntaxNode[] = [];
  const pending = handlerNode ? [handlerNode] : [];
  while (pending.length) {
    const fn = pending.pop()!;
    if (perInvocation.some((p) => p.from === fn.from)) continue;
    perInvocation.push(fn);
    descendants(fn, (node) => {
      if (node.name !== 'CallExpression' || node.firstChild?.name !== 'VariableName') return;
      const callee = functions.get(of(node.firstChild));
      // `conn = _connect()` into a global: the function fills a cache, once per environment.
      const target = assignedTo(node);
      if (target && globalsOf(fn).has(target)) return;
      if (callee && globalsOf(callee).size === 0) pending.push(callee);
    });
  }

  /** Stored in a variable the enclosing function declares global (or assigned at module level): kept for the environment's life. */
  const cached = (node: SyntaxNode): boolean => {
    const target = assignedTo(node);
    const enclosing = ancestors(node).filter((a) => a.name === 'FunctionDefinition');
    return target !== undefined && (enclosing.length === 0 || enclosing.some((fn) => globalsOf(fn).has(target)));
  };
  const returned = (node: SyntaxNode): boolean => node.parent?.name === 'ReturnStatement';
  // Factories whose result ends up in such a cache, directly or through another factory's return.
  const factories = new Set<string>();
  descendants(top, (node) => {
    if (node.name === 'CallExpression' && node.firstChild?.name === 'VariableName' && functions.has(of(node.firstChild)) && cached(node)) factories.add(of(node.firstChild));
  });
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of [...factories]) {
      descendants(functions.get(name)!, (node) => {
        const callee = node.name === 'CallExpression' && node.firstChild?.name === 'VariableName' ? of(node.firstChild) : undefined;
        if (callee && functions.has(callee) && returned(node) && !factories.has(callee)) {
          factories.add(callee);
          grew = true;
        }
      });
    }
  }

  const scopeOf = (node: SyntaxNode): Scope => {
    const enclosing = ancestors(node).filter((a) => a.name === 'FunctionDefinition' || a.name === 'LambdaExpression');
    if (enclosing.length === 0 || cached(node)) return 'init';
    const nearest = enclosing[0]!.getChild('VariableName');
    if (returned(node) && nearest && factories.has(of(nearest)) && functions.get(of(nearest))?.from === enclosing[0]!.from) return 'init';
    return enclosing.some((fn) => perInvocation.some((p) => p.from === fn.from && p.to === fn.to)) ? 'invocation' : 'elsewhere';
  };

  const valueOf = (node: SyntaxNode | null | undefined, depth = 0): Value => {
    if (!node || depth > 8) return { kind: 'unknown' };
    const known = literal(node, of(node));
    if (known) return known;
    switch (node.name) {
      case 'FormatString': {
        const replacements = node.getChildren('FormatReplacement');
        if (replacements.length === 0) return { kind: 'string', value: unquote(of(node).replace(/^[fF]/, '')) };
        let literal = of(node);
        for (const part of replacements.reverse()) literal = literal.slice(0, part.from - node.from) + ' ' + literal.slice(part.to - node.from);
        return { kind: 'built', how: 'interpolation', literal: unquote(literal.replace(/^[fF]/, '')) };
      }
      case 'ContinuedString': {
        let value: Value = { kind: 'string', value: '' };
        for (const part of children(node)) value = join(value, valueOf(part, depth + 1), 'concatenation');
        return value;
      }
      case 'Boolean':
        return { kind: 'boolean', value: of(node) === 'True' };
      case 'None':
        return { kind: 'none' };
      case 'LambdaExpression':
        return { kind: 'function' };
      case 'ParenthesizedExpression':
        return valueOf(children(node)[1], depth + 1);
      case 'DictionaryExpression':
        return { kind: 'object', options: dictionaryOf(node, depth + 1) };
      case 'VariableName': {
        const initializer = initializers.get(of(node));
        if (functions.has(of(node))) return { kind: 'function' };
        return initializer ? valueOf(initializer, depth + 1) : { kind: 'unknown' };
      }
      case 'MemberExpression': {
        const written = of(node).replace(/\s/g, '');
        const env = /^os\.environ\[['"](\w+)['"]\]$/.exec(written);
        return env ? { kind: 'env', name: env[1] } : { kind: 'unknown' };
      }
      case 'CallExpression': {
        const callee = node.firstChild;
        const written = callee ? of(callee).replace(/\s/g, '') : '';
        const args = argumentsOf(node, depth + 1);
        if (written === 'os.environ.get' || written === 'os.getenv') {
          const name = args.positional[0];
          return { kind: 'env', name: name?.kind === 'string' ? name.value : undefined };
        }
        if (callee?.name === 'MemberExpression' && callee.getChild('PropertyName') && of(callee.getChild('PropertyName')!) === 'format') {
          const base = valueOf(callee.firstChild, depth + 1);
          if (base.kind === 'string' || base.kind === 'built') return { kind: 'built', how: 'format', literal: base.kind === 'string' ? base.value : base.literal };
        }
        return { kind: 'unknown' };
      }
      case 'BinaryExpression': {
        const [left, operator, right] = children(node);
        const a = valueOf(left, depth + 1);
        const operatorText = operator ? of(operator) : '';
        if (operatorText === '%' && (a.kind === 'string' || a.kind === 'built')) return { kind: 'built', how: 'format', literal: a.kind === 'string' ? a.value : a.literal };
        if (operatorText === '+') {
          const b = valueOf(right, depth + 1);
          if (a.kind === 'string' || b.kind === 'string' || a.kind === 'built' || b.kind === 'built') return join(a, b, 'concatenation');
        }
        if (operatorText === 'or' && a.kind === 'env') return a;
        return { kind: 'unknown' };
      }
      default:
        return { kind: 'unknown' };
    }
  };

  const dictionaryOf = (node: SyntaxNode, depth: number): Options => {
    const options = emptyOptions();
    const parts = children(node).filter((c) => !['{', '}', ','].includes(c.name));
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.name === '**') {
        options.open = true;
        i++;
        continue;
      }
      if (parts[i + 1]?.name === ':' && parts[i + 2]) {
        const key = valueOf(part, depth);
        if (key.kind === 'string') options.entries.set(key.value, { value: valueOf(parts[i + 2], depth), place: source.place(part) });
        i += 2;
      }
    }
    return options;
  };

  /** A call's arguments; `depth` bounds the resolution of names, which may refer back to the call itself. */
  function argumentsOf(call: SyntaxNode, depth = 0): { positional: Value[]; positionalNodes: SyntaxNode[]; options: Options } {
    const list = call.getChild('ArgList');
    const parts = list ? children(list).filter((c) => !SEPARATORS.has(c.name)) : [];
    const positional: Value[] = [];
    const positionalNodes: SyntaxNode[] = [];
    const options = emptyOptions();
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.name === '**' || part.name === '*') {
        options.open = true;
        i++;
        continue;
      }
      if (part.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp' && parts[i + 2]) {
        options.entries.set(of(part), { value: valueOf(parts[i + 2], depth), place: source.place(part) });
        i += 2;
        continue;
      }
      positional.push(valueOf(part, depth));
      positionalNodes.push(part);
    }
    return { positional, positionalNodes, options };
  }

  // transactionWaits stay empty: a slow call inside a transaction is read in JavaScript only (Python
  // drivers block, and their transactions are `with` blocks this reader does not follow yet).
  const facts = noFacts('python', handlerName_ && handlerNode ? { name: handlerName_, place: source.place(handlerNode.getChild('VariableName') ?? handlerNode) } : undefined);

  /** The variables a signal handler closes, in its body and the module functions it calls by name. */
  const closedBy = (handler: SyntaxNode): Set<string> => {
    const closed = new Set<string>();
    const seen = new Set<number>();
    const visit = (fn: SyntaxNode | undefined) => {
      if (!fn || seen.has(fn.from)) return;
      seen.add(fn.from);
      descendants(fn, (node) => {
        if (node.name !== 'CallExpression' || !node.firstChild) return;
        const callee = node.firstChild;
        if (callee.name === 'VariableName') visit(functions.get(of(callee)));
        const method = callee.name === 'MemberExpression' ? callee.getChild('PropertyName') : null;
        if (method && CLOSES.has(of(method)) && callee.firstChild?.name === 'VariableName') closed.add(of(callee.firstChild));
      });
    };
    visit(handler.name === 'VariableName' ? functions.get(of(handler)) : handler);
    return closed;
  };

  descendants(top, (node) => {
    if (node.name === 'String' && namesRefusedLogin(unquote(of(node)))) facts.handlesRefusedLogin = true;
    if (node.name === 'String' && namesExtensionRegistration(unquote(of(node)))) facts.registersExtension = true;
    if ((node.name === 'VariableName' || node.name === 'PropertyName') && namesRefusedLogin(of(node))) facts.handlesRefusedLogin = true;
    if (node.name === 'TryStatement') {
      const parts = children(node);
      parts.forEach((part, i) => {
        if (part.name !== 'except') return;
        const caught = parts[i + 1];
        if (!caught || caught.name === 'Body') return;
        const list = caught.name === 'TupleExpression' ? children(caught).filter((c) => !SEPARATORS.has(c.name)) : [caught];
        for (const item of list) facts.caught.push(of(item).replace(/\s/g, ''));
      });
      return;
    }
    if (node.name !== 'CallExpression' || !node.firstChild) return;
    const callee = node.firstChild;
    const name = qualified(callee);
    if (name && Object.hasOwn(CREATIONS, name)) {
      const args = argumentsOf(node);
      const { driver, shape } = CREATIONS[name]!;
      // The DSN or URL: the first positional argument (psycopg2's pool: the third), or conninfo/dsn.
      const dsnAt = name.startsWith('psycopg2.pool.') ? 2 : 0;
      const named = args.options.entries.get('conninfo') ?? args.options.entries.get('dsn');
      const dsnNode = args.positionalNodes[dsnAt];
      facts.creations.push({
        driver,
        shape,
        callee: name,
        place: source.place(node),
        scope: scopeOf(node),
        binding: assignedTo(node),
        options: args.options,
        positional: args.positional,
        connectionString: named ?? (dsnNode ? { value: args.positional[dsnAt]!, place: source.place(dsnNode) } : undefined),
      });
      return;
    }
    if (callee.name !== 'MemberExpression' && callee.name !== 'VariableName') return;
    const method = callee.name === 'MemberExpression' ? callee.getChild('PropertyName') : callee;
    if (!method) return;
    const methodName = of(method);
    const args = argumentsOf(node);
    if (methodName === 'execute' || methodName === 'executemany' || (methodName === 'text' && name === 'sqlalchemy.text')) {
      const first = args.positionalNodes[0];
      if (first) facts.queries.push({ sql: args.positional[0]!, place: source.place(first), scope: scopeOf(node), named: undefined });
    } else if (methodName === 'execute_statement' || methodName === 'batch_execute_statement') {
      const sql = args.options.entries.get('sql');
      if (sql) facts.queries.push({ sql: sql.value, place: sql.place, scope: scopeOf(node), named: undefined });
    } else if (methodName === 'generate_db_auth_token') {
      // Made inside any function, a token is fresh when that function runs; only a module-level
      // statement or a global variable keeps one for the environment's life.
      const enclosing = ancestors(node).filter((a) => a.name === 'FunctionDefinition');
      const target = assignedTo(node);
      const kept = enclosing.length === 0 || (target !== undefined && enclosing.some((fn) => globalsOf(fn).has(target)));
      facts.tokenSignings.push({ place: source.place(node), scope: kept ? 'init' : 'invocation' });
    } else if (methodName === 'get_secret_value') {
      const enclosing = ancestors(node).filter((a) => a.name === 'FunctionDefinition');
      // Once for the environment: at module level, or in a function that fills a global or whose result is kept in one.
      const kept = enclosing.length === 0 || enclosing.some((fn) => globalsOf(fn).size > 0 || factories.has(of(fn.getChild('VariableName') ?? fn)));
      facts.secretReads.push({ place: source.place(node), scope: kept ? 'init' : scopeOf(node) });
    } else if (name === 'signal.signal' && args.positionalNodes[0] && args.positionalNodes[1] && of(args.positionalNodes[0]).replace(/\s/g, '').endsWith('SIGTERM')) {
      facts.shutdownHandlers.push(source.place(node));
      for (const closed of closedBy(args.positionalNodes[1])) facts.closedOnShutdown.add(closed);
    } else if (methodName === 'close' && callee.name === 'MemberExpression' && callee.firstChild?.name === 'VariableName') {
      facts.closings.push({ binding: of(callee.firstChild), place: source.place(node), scope: scopeOf(node) });
    }
  });
  return facts;
}
