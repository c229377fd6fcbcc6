/**
 * Starter-code generation: options in, files out. Pure (no I/O, no clock, no `node:` imports) so
 * the wizard page runs it in the browser and `connlab generate` in Node, with the same bytes.
 */
import { isNodeRuntime, type GenerateOptions, type Iac } from '../vocabulary/choices.ts';
import { parseGenerateOptions } from './options.ts';
import type { GeneratedFile } from './project.ts';
import { nodeHandler } from './handlers/node.ts';
import { pythonHandler } from './handlers/python.ts';
import { nodeLocalTest, packageJson, pythonLocalTest, requirementsTxt, sampleEvent, schemaSql, tsconfig } from './support-files.ts';
import { readme } from './readme.ts';
import { samFiles } from './iac/sam.ts';
import { terraformFiles } from './iac/terraform.ts';
import { cdkFiles } from './iac/cdk.ts';
import { awsCliFiles } from './iac/aws-cli.ts';

export type { GeneratedFile } from './project.ts';
export * from './options.ts';
export { zipProject } from './zip.ts';
export { deployInstructions, projectFiles, type ProjectFile } from './readme.ts';

const infrastructureFiles: Record<Iac, (options: GenerateOptions) => GeneratedFile[]> = { sam: samFiles, cdk: cdkFiles, terraform: terraformFiles, 'aws-cli': awsCliFiles };

export class InvalidOptionsError extends Error {
  readonly reasons: string[];
  constructor(reasons: string[]) {
    super(`Cannot generate this combination:\n- ${reasons.join('\n- ')}`);
    this.name = 'InvalidOptionsError';
    this.reasons = reasons;
  }
}

/** Generates the project, or throws InvalidOptionsError naming every reason the combination is refused. */
export function generate(input: GenerateOptions): GeneratedFile[] {
  const parsed = parseGenerateOptions(input);
  if (!parsed.ok) throw new InvalidOptionsError(parsed.errors);
  const options = parsed.value;
  const files: GeneratedFile[] = [];
  if (isNodeRuntime(options.runtime)) {
    const ts = options.language === 'typescript';
    files.push({ path: 'package.json', contents: packageJson(options) });
    if (ts) files.push({ path: 'tsconfig.json', contents: tsconfig(options) });
    files.push({ path: ts ? 'src/handler.ts' : 'src/handler.mjs', contents: nodeHandler(options) });
    files.push({ path: 'test/handler.test.mjs', contents: nodeLocalTest(options) });
    files.push({ path: '.gitignore', contents: 'node_modules/\ndist/\n*.zip\n' });
  } else {
    files.push({ path: 'app/handler.py', contents: pythonHandler(options) });
    files.push({ path: 'app/requirements.txt', contents: requirementsTxt(options) });
    files.push({ path: 'tests/test_handler.py', contents: pythonLocalTest(options) });
    files.push({ path: '.gitignore', contents: '__pycache__/\n*.zip\nbuild/\n' });
  }
  files.push({ path: 'events/event.json', contents: sampleEvent(options) });
  if (options.pattern !== 'dynamodb') files.push({ path: 'schema.sql', contents: schemaSql(options) });
  files.push({ path: 'README.md', contents: readme(options) });
  files.push(...infrastructureFiles[options.iac](options));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
