/**
 * Build-time half of the browser host: a Vite plugin that gives the sandbox Worker what the Node
 * host computes at run time. `virtual:connlab/pg-source` is the same pair of `pg` bundle texts (and
 * `virtual:connlab/aws-sdk/*` the same SDK bundle texts), and
 * `virtual:connlab/postgres-files` the URLs and sizes of what the Worker downloads to start PostgreSQL:
 * PGlite's WebAssembly, its file-system bundle trimmed to what a run reads (fs-bundle.node.ts) and
 * an initialised data directory (so the first Run in a page skips initdb). Runs in Node (Vite's
 * config), never in the page.
 */
import { statSync } from 'node:fs';
import type { Plugin } from 'vite';
import { bundlePg, initialisedDataDir, sdkSource } from './host.node.ts';
import { trimmedFsBundle } from './fs-bundle.node.ts';
import { SDK_BUNDLES, type SdkBundle } from './sdk-packages.ts';

const pgSourceId = 'virtual:connlab/pg-source';
const postgresFilesId = 'virtual:connlab/postgres-files';
/** `virtual:connlab/aws-sdk/<bundle>`: the text of one SDK bundle (sdk-bundle.ts), as the Node host builds it. */
const sdkPrefix = 'virtual:connlab/aws-sdk/';
const isSdkBundle = (name: string): name is SdkBundle => Object.hasOwn(SDK_BUNDLES, name);

export function engineAssets(): Plugin {
  let serving = false;
  return {
    name: 'connlab-engine-assets',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    resolveId(id) {
      return id === pgSourceId || id === postgresFilesId || (id.startsWith(sdkPrefix) && isSdkBundle(id.slice(sdkPrefix.length))) ? `\0${id}` : undefined;
    },
    async load(id) {
      if (id === `\0${pgSourceId}`) return `export default ${JSON.stringify(await bundlePg())};`;
      const bundle = id.startsWith(`\0${sdkPrefix}`) ? id.slice(sdkPrefix.length + 1) : '';
      if (isSdkBundle(bundle)) return `export default ${JSON.stringify(await sdkSource(bundle))};`;
      if (id !== `\0${postgresFilesId}`) return undefined;
      // Sizes as built, because a compressed response's Content-Length counts the compressed bytes.
      const sizeOf = async (file: string) => statSync((await this.resolve(`@electric-sql/pglite/${file}`))!.id).size;
      const emitted = (name: string, source: Uint8Array) => `{ url: import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name, source })}, bytes: ${source.byteLength} }`;
      const imports = ["import wasmUrl from '@electric-sql/pglite/pglite.wasm?url';"];
      let fsBundle: string;
      let dataDir = 'null';
      if (serving) {
        // The dev server has nowhere to emit a file: the Worker then takes the package's own bundle
        // and runs initdb itself (slower, same result).
        imports.push("import fsBundleUrl from '@electric-sql/pglite/pglite.data?url';");
        fsBundle = `{ url: fsBundleUrl, bytes: ${await sizeOf('pglite.data')} }`;
      } else {
        fsBundle = emitted('pglite.data', trimmedFsBundle());
        dataDir = emitted('pglite-datadir.tar', new Uint8Array(await (await initialisedDataDir()).arrayBuffer()));
      }
      return [...imports, `export default { wasm: { url: wasmUrl, bytes: ${await sizeOf('pglite.wasm')} }, fsBundle: ${fsBundle}, dataDir: ${dataDir} };`].join('\n');
    },
  };
}
