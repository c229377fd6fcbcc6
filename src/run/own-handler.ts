/**
 * A reader's own handler put through one of the patterns' sandboxes: the sandbox's world (instance,
 * proxy, function settings, traffic, event) with the reader's code, the reader's schema and the
 * standard PG* variables for the virtual database, so `new pg.Client()` with no settings connects.
 * Pure, like the rest of src/run: `connlab simulate --handler` bundles the file, and a page can too.
 */
import type { SandboxSource } from '../sandboxes/schema.ts';

/** The patterns a reader's handler can be run through, each the sandbox that shows it. */
export const OWN_HANDLER_PATTERNS = {
  direct: 'direct-connection',
  'module-pool': 'module-pool',
  'rds-proxy': 'rds-proxy',
} as const;
export type OwnHandlerPattern = keyof typeof OWN_HANDLER_PATTERNS;

export interface OwnHandler {
  /** The bundled handler's file name (as /var/task/<file> in stack traces). */
  file: string;
  /** The handler as one CommonJS text, its own imports bundled; `pg` and the AWS SDK are required from the engine. */
  code: string;
  /** SQL run on the virtual database before the traffic starts; empty for an empty database. */
  setupSql: string;
  /** The reader's own variables, over the PG* ones. */
  env: Readonly<Record<string, string>>;
}

/** The virtual database's login as PostgreSQL's client variables, through the proxy when the pattern has one. */
export function databaseVariables(pattern: SandboxSource): Record<string, string> {
  const { database, proxy } = pattern.definition;
  // The sandboxes log in as their one application role; `postgres` is the superuser they never use.
  const [user, password] = Object.entries(database.users).find(([name]) => name !== 'postgres') ?? ['postgres', 'postgres'];
  return {
    PGHOST: proxy?.host ?? database.host,
    PGPORT: String(proxy?.port ?? database.port),
    PGUSER: user,
    PGPASSWORD: password,
    PGDATABASE: 'postgres',
  };
}

/**
 * The pattern's sandbox with the reader's handler as its only variant. Parameters that set the
 * sandbox's own handler (its `lambda.env` variables) are dropped: the reader's code does not read them.
 */
export function ownHandlerSandbox(pattern: SandboxSource, handler: OwnHandler): SandboxSource {
  const definition = pattern.definition;
  const [variant] = definition.variants;
  return {
    definition: {
      ...definition,
      parameters: definition.parameters.filter((parameter) => !parameter.binds.some((path) => path.startsWith('lambda.env.'))),
      database: { ...definition.database, setupSql: handler.setupSql },
      lambda: { ...definition.lambda, env: { ...databaseVariables(pattern), ...handler.env } },
      variants: [{ ...variant!, id: 'own-handler', label: handler.file, handler: handler.file, description: `${handler.file} through the ${definition.pattern} pattern` }],
      expectations: [],
    },
    files: { [handler.file]: handler.code },
  };
}
