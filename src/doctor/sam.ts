/**
 * The handlers a SAM template names: `Handler: app.main` says the export (or Python function) of a
 * file is `main`, not `handler`. The doctor reads only what it needs (each function's Handler,
 * CodeUri and Runtime, or their Globals); CloudFormation's short-form tags (!Ref, !Sub…) parse as
 * plain values and never matter here.
 */
import { parseDocument } from 'yaml';

export interface NamedHandler {
  /** The module's path from the template's folder, without extension: `app/app`, `dist/handler`. */
  module: string;
  exportName: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** A folder and a path as one, without `./`, doubled or trailing slashes. */
function joined(folder: string, path: string): string {
  return [...folder.split('/'), ...path.split('/')].filter((part) => part !== '' && part !== '.').join('/');
}

/** The functions a template declares and their handlers. Throws on text that is not YAML. */
export function samHandlers(template: string): NamedHandler[] {
  const parsed = parseDocument(template);
  // Errors only: an unknown tag (!Ref) is a warning, and its value is still read.
  if (parsed.errors.length > 0) throw parsed.errors[0];
  const document = record(parsed.toJS());
  const globals = record(record(document.Globals).Function);
  const handlers: NamedHandler[] = [];
  for (const resource of Object.values(record(document.Resources))) {
    const { Type, Properties } = record(resource);
    if (Type !== 'AWS::Serverless::Function') continue;
    const properties = record(Properties);
    const handler = text(properties.Handler) ?? text(globals.Handler);
    if (!handler || !handler.includes('.')) continue;
    const runtime = text(properties.Runtime) ?? text(globals.Runtime) ?? '';
    const codeUri = text(properties.CodeUri) ?? text(globals.CodeUri) ?? '.';
    const dot = handler.lastIndexOf('.');
    // Python names a dotted module (package.module.function); Node a file path (dir/file.export).
    const module = runtime.startsWith('python') ? handler.slice(0, dot).replaceAll('.', '/') : handler.slice(0, dot);
    handlers.push({ module: joined(codeUri, module), exportName: handler.slice(dot + 1) });
  }
  return handlers;
}

/**
 * The export name for a file (its path from the template's folder, without extension): the handler
 * named for that module, or, when the template names a built file (dist/handler) that is not among
 * the sources, the handler whose module has the same file name.
 */
export function exportNameFor(file: string, handlers: readonly NamedHandler[], files: readonly string[]): string | undefined {
  const exact = handlers.find((handler) => handler.module === file);
  if (exact) return exact.exportName;
  const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  return handlers.find((handler) => !files.includes(handler.module) && base(handler.module) === base(file))?.exportName;
}
