/**
 * Build-time half of the browser host: a Vite plugin that gives the sandbox Worker what the Node
 * host computes at run time. `virtual:connlab/pg-source` is the same pair of `pg` bundle texts (and
 * `virtual:connlab/aws-sdk/*` the same SDK bundle texts), and
 * `virtual:connlab/pglite-datadir` the URL of an initialised PGlite data directory, so the first Run
 * in a page skips initdb. Runs in Node (Vite's config), never in the page.
 */
import type { Plugin } from 'vite';
import { bundlePg, initialisedDataDir, sdkSource } from './host.node.ts';
import { SDK_BUNDLES, type SdkBundle } from './sdk-packages.ts';

const pgSourceId = 'virtual:connlab/pg-source';
const dataDirId = 'virtual:connlab/pglite-datadir';
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
      return id === pgSourceId || id === dataDirId || (id.startsWith(sdkPrefix) && isSdkBundle(id.slice(sdkPrefix.length))) ? `\0${id}` : undefined;
    },
    async load(id) {
      if (id === `\0${pgSourceId}`) return `export default ${JSON.stringify(await bundlePg())};`;
      const bundle = id.startsWith(`\0${sdkPrefix}`) ? id.slice(sdkPrefix.length + 1) : '';
      if (isSdkBundle(bundle)) return `export default ${JSON.stringify(await sdkSource(bundle))};`;
      if (id !== `\0${dataDirId}`) return undefined;
      // The dev server has nowhere to emit a file: the Worker then runs initdb itself (slower, same result).
      if (serving) return 'export default null;';
      const dump = await initialisedDataDir();
      const reference = this.emitFile({ type: 'asset', name: 'pglite-datadir.tar.gz', source: new Uint8Array(await dump.arrayBuffer()) });
      return `export default import.meta.ROLLUP_FILE_URL_${reference};`;
    },
  };
}
