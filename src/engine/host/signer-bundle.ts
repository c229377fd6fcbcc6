/**
 * Build-time (Node, esbuild): an IAM token signer (`@aws-sdk/rds-signer`, `@aws-sdk/dsql-signer`) as
 * one CommonJS text a handler can `require`, instantiated per execution environment like `pg`, so its
 * clock is the environment's virtual `Date`.
 *
 * The package's browser build is used (no Node built-ins), with its runtime config swapped for one
 * that reads credentials and region from the function's environment variables, as the Lambda
 * runtime provides them, and hashes with the pure-JavaScript SHA-256: WebCrypto's promises settle
 * outside the virtual clock's view, which would make runs nondeterministic.
 */
import type { SignerPackage } from './host.ts';

type Build = (options: Record<string, unknown>) => Promise<{ outputFiles: Array<{ text: string }> }>;

const RUNTIME_CONFIG = `
import { Sha256Js } from '@smithy/core/checksum';
const fromEnvironment = async () => {
  const env = process.env;
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) throw new Error('Could not load credentials from any providers');
  return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
};
const regionFromEnvironment = async () => {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Region is missing');
  return region;
};
export const getRuntimeConfig = (config) => ({ runtime: 'node', sha256: Sha256Js, ...config, credentials: config?.credentials ?? fromEnvironment, region: config?.region ?? regionFromEnvironment });
`;

export async function bundleSigner(build: Build, root: string, pkg: SignerPackage): Promise<string> {
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(pkg)};`, resolveDir: root },
    bundle: true,
    platform: 'browser',
    mainFields: ['browser', 'module', 'main'],
    format: 'cjs',
    write: false,
    logLevel: 'error',
    plugins: [
      {
        name: 'connlab-signer-runtime-config',
        setup(b: { onResolve: (o: object, f: (args: { importer: string }) => object | undefined) => void; onLoad: (o: object, f: () => object) => void }) {
          b.onResolve({ filter: /\/runtimeConfig(\.browser)?(\.js)?$/ }, (args) => (args.importer.includes(`${pkg}/`) ? { path: 'runtime-config', namespace: 'connlab-signer' } : undefined));
          b.onLoad({ filter: /.*/, namespace: 'connlab-signer' }, () => ({ contents: RUNTIME_CONFIG, resolveDir: root, loader: 'js' }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}
