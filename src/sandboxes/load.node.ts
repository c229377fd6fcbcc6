/**
 * Reading sandboxes from `sandboxes/<id>/` in Node (the page gets the same data bundled by Vite).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxSchema, type SandboxSource } from './schema.ts';

export const sandboxesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sandboxes');

export function listSandboxIds(dir = sandboxesDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'sandbox.json')))
    .map((entry) => entry.name)
    .sort();
}

export class UnknownSandboxError extends Error {
  override name = 'UnknownSandboxError';
}

export function loadSandbox(id: string, dir = sandboxesDir): SandboxSource {
  const folder = join(dir, id);
  const file = join(folder, 'sandbox.json');
  if (!/^[a-z0-9-]+$/.test(id) || !existsSync(file)) {
    throw new UnknownSandboxError(`unknown sandbox '${id}'. Valid sandboxes: ${listSandboxIds(dir).join(', ')}`);
  }
  const definition = sandboxSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (definition.id !== id) throw new Error(`${file}: id '${definition.id}' does not match its folder '${id}'`);
  const files: Record<string, string> = {};
  for (const variant of definition.variants) files[variant.handler] = readFileSync(join(folder, variant.handler), 'utf8');
  if (definition.sqs) files[definition.sqs.consumer.handler] = readFileSync(join(folder, definition.sqs.consumer.handler), 'utf8');
  return { definition, files };
}
