/**
 * The doctor's entry point: one handler file's text in, its findings out. Pure and browser-safe: the
 * page and `connlab doctor` call the same function.
 */
import { readJavaScript } from './javascript.ts';
import type { HandlerFacts, Language } from './model.ts';
import { readPython } from './python.ts';
import type { Deployment, Finding } from './rule.ts';
import { rules } from './rules/index.ts';

export { languageOf } from './model.ts';

export interface AnalyzeOptions extends Partial<Deployment> {
  /** The handler's exported name when it is not `handler` (Python: `lambda_handler` or `handler`). */
  handlerName?: string;
}

export function readFacts(text: string, language: Language, handlerName?: string): HandlerFacts {
  return language === 'python' ? readPython(text, handlerName) : readJavaScript(text, language === 'typescript', handlerName);
}

/** An RDS Proxy endpoint: <name>.proxy-<id>.<region>.rds.amazonaws.com. */
const PROXY_HOST = /\.proxy-[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com/i;

function namesProxy(facts: HandlerFacts): boolean {
  return facts.creations.some((creation) => {
    const host = creation.options.entries.get('host')?.value;
    const dsn = creation.connectionString?.value;
    return (host?.kind === 'string' && PROXY_HOST.test(host.value)) || (dsn?.kind === 'string' && PROXY_HOST.test(dsn.value));
  });
}

export interface Analysis {
  facts: HandlerFacts;
  findings: Finding[];
}

export function analyze(text: string, language: Language, options: AnalyzeOptions = {}): Analysis {
  const facts = readFacts(text, language, options.handlerName);
  const deployment: Deployment = {
    proxy: options.proxy === true || namesProxy(facts),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
  };
  const findings = rules.flatMap((rule) =>
    rule.check(facts, deployment).map((hit): Finding => ({ rule: rule.id, severity: rule.severity, message: hit.message, place: hit.place, ...(hit.edit ? { edit: hit.edit } : {}) })),
  );
  findings.sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column);
  return { facts, findings };
}
