/**
 * Build-time (Node, esbuild): the IAM token signers (`@aws-sdk/rds-signer`, `@aws-sdk/dsql-signer`)
 * as CommonJS texts a handler can `require`, in two parts:
 * - each signer's own text: its package, `@smithy/signature-v4` (which reads `new Date()`) and the
 *   runtime config below (which reads `process.env`), instantiated per execution environment like
 *   `pg`, so the clock and the variables it reads are the environment's;
 * - the shared text: the `@smithy/core` and `@aws-sdk/core` functions they import (hashing, hex,
 *   UTF-8, the request class, URL formatting), which read no global an environment owns. It is
 *   instantiated once per run (SignerSources in host.ts): a thousand cold starts neither evaluate
 *   the same tables and classes a thousand times nor keep a thousand copies of them.
 *
 * The packages' browser builds are used (no Node built-ins), with the runtime config swapped for one
 * that reads credentials and region from the function's environment variables, as the Lambda
 * runtime provides them, and hashes with the pure-JavaScript SHA-256: WebCrypto's promises settle
 * outside the virtual clock's view, which would make runs nondeterministic.
 */
import { SIGNER_PACKAGES, type SignerPackage, type SignerSources } from './host.ts';

type Build = (options: Record<string, unknown>) => Promise<{ outputFiles: Array<{ text: string }> }>;

/** What the signers import from these packages comes from the shared text; the rest of their code is their own. */
const SHARED_PACKAGES = ['@smithy/core/checksum', '@smithy/core/client', '@smithy/core/protocols', '@smithy/core/serde', '@aws-sdk/core/util'];

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

const BROWSER_BUILD = { bundle: true, platform: 'browser', mainFields: ['browser', 'module', 'main'], write: false, logLevel: 'error' } as const;

async function bundleSigner(build: Build, root: string, pkg: SignerPackage, format: 'cjs' | 'esm'): Promise<string> {
  const result = await build({
    ...BROWSER_BUILD,
    stdin: { contents: `export * from ${JSON.stringify(pkg)};`, resolveDir: root },
    format,
    external: SHARED_PACKAGES,
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

/**
 * The names an ES module text imports from each shared package. esbuild writes a bundle's external
 * imports as `import { a, b as b2 } from "package";`: anything else (a namespace or default import)
 * would need the whole package, so it stops the build rather than share it silently.
 */
function sharedImports(esm: string, into: Map<string, Set<string>>): void {
  for (const [, clause, from] of esm.matchAll(/^import\s+(.*?)\s+from\s+"([^"]+)";$/gms)) {
    if (!SHARED_PACKAGES.includes(from!)) continue;
    const named = /^\{([^}]*)\}$/.exec(clause!.trim());
    if (!named) throw new Error(`signer bundle: ${from} is imported as ${clause}, not by name`);
    const names = into.get(from!) ?? new Set<string>();
    for (const item of named[1]!.split(',').map((part) => part.trim()).filter(Boolean)) names.add(item.split(/\s+as\s+/)[0]!);
    into.set(from!, names);
  }
}

/** Both signers and the shared text their imports resolve to (module.exports maps each package to the names they import). */
export async function bundleSigners(build: Build, root: string): Promise<SignerSources> {
  const [modules, esm] = await Promise.all([Promise.all(SIGNER_PACKAGES.map((pkg) => bundleSigner(build, root, pkg, 'cjs'))), Promise.all(SIGNER_PACKAGES.map((pkg) => bundleSigner(build, root, pkg, 'esm')))]);
  const imports = new Map<string, Set<string>>();
  for (const text of esm) sharedImports(text, imports);
  const packages = [...imports].sort(([a], [b]) => a.localeCompare(b));
  const contents = [
    ...packages.map(([from, names], index) => `import { ${[...names].sort().map((name) => `${name} as p${index}_${name}`).join(', ')} } from ${JSON.stringify(from)};`),
    `export default { ${packages.map(([from, names], index) => `${JSON.stringify(from)}: { ${[...names].sort().map((name) => `${name}: p${index}_${name}`).join(', ')} }`).join(', ')} };`,
  ].join('\n');
  const shared = await build({ ...BROWSER_BUILD, stdin: { contents, resolveDir: root }, format: 'cjs' });
  return { modules: Object.fromEntries(SIGNER_PACKAGES.map((pkg, i) => [pkg, modules[i]!])) as SignerSources['modules'], shared: shared.outputFiles[0]!.text };
}
