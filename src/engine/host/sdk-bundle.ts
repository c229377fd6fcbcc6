/**
 * Build-time (Node, esbuild; the Node host at first use, the page's build through its Vite plugin):
 * one SDK bundle of packages.ts as the CommonJS text the engine evaluates once per run.
 *
 * Both hosts get the same text: the packages' browser builds (no Node built-ins, no shared config
 * files to read), minified as the page ships them, with names kept so that `Client.name` and
 * `constructor.name` read as in the SDK's own code.
 */
import { SDK_BUNDLES, type SdkBundle } from './sdk-packages.ts';

type Build = (options: Record<string, unknown>) => Promise<{ outputFiles: Array<{ text: string }> }>;

export async function bundleSdk(build: Build, root: string, bundle: SdkBundle): Promise<string> {
  // Each package's exports under its own name: `module.exports['@aws-sdk/client-sqs']`.
  const contents = SDK_BUNDLES[bundle].map((name, index) => `import * as p${index} from ${JSON.stringify(name)};`).join('\n') + `\nexport default { ${SDK_BUNDLES[bundle].map((name, index) => `${JSON.stringify(name)}: p${index}`).join(', ')} };`;
  const result = await build({
    stdin: { contents, resolveDir: root },
    bundle: true,
    platform: 'browser',
    mainFields: ['browser', 'module', 'main'],
    format: 'cjs',
    minify: true,
    keepNames: true,
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}
