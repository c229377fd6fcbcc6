/**
 * Build-time half of the browser host: a Vite plugin that gives the sandbox Worker what the Node
 * host computes at run time. `virtual:connlab/pg-source` is the same pair of `pg` bundle texts (and
 * `virtual:connlab/aws-sdk/*` the same SDK bundle texts), and
 * `virtual:connlab/postgres-files` the URLs and sizes of what the Worker downloads to start PostgreSQL:
 * PGlite's WebAssembly, its file-system bundle and an initialised data directory (so the first Run
 * in a page skips initdb). Runs in Node (Vite's config), never in the page.
 */
import { statSync } from 'node:fs';
import type { Plugin } from 'vite';
import { bundlePg, initialisedDataDir, sdkSource } from './host.node.ts';
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
      const [wasmBytes, fsBundleBytes] = await Promise.all([sizeOf('pglite.wasm'), sizeOf('pglite.data')]);
      // The dev server has nowhere to emit a file: the Worker then runs initdb itself (slower, same result).
      let dataDir = 'null';
      if (!serving) {
        const dump = new Uint8Array(await (await initialisedDataDir()).arrayBuffer());
        const reference = this.emitFile({ type: 'asset', name: 'pglite-datadir.tar', source: dump });
        dataDir = `{ url: import.meta.ROLLUP_FILE_URL_${reference}, bytes: ${dump.byteLength} }`;
      }
      return [
        "import wasmUrl from '@electric-sql/pglite/pglite.wasm?url';",
        "import fsBundleUrl from '@electric-sql/pglite/pglite.data?url';",
        `export default { wasm: { url: wasmUrl, bytes: ${wasmBytes} }, fsBundle: { url: fsBundleUrl, bytes: ${fsBundleBytes} }, dataDir: ${dataDir} };`,
      ].join('\n');
    },
  };
}
