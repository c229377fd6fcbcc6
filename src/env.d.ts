/// <reference types="astro/client" />

declare module 'virtual:connlab/pg-source' {
  /** The `pg` driver bundled at build time, as the engine instantiates it. */
  const sources: import('./engine/host/host.ts').PgSources;
  export default sources;
}

declare module 'virtual:connlab/aws-sdk/*' {
  /** One AWS SDK bundle as CommonJS text (engine/host/sdk-bundle.ts), built at build time. */
  const source: string;
  export default source;
}

declare module 'virtual:connlab/postgres-files' {
  /** A file the Worker downloads: its URL and its size as built (the decoded bytes it receives). */
  export interface PostgresFile {
    url: string;
    bytes: number;
  }
  /** PGlite's WebAssembly, its file-system bundle, and an initialised data directory (an uncompressed tar; null in the dev server). */
  const files: { wasm: PostgresFile; fsBundle: PostgresFile; dataDir: PostgresFile | null };
  export default files;
}

declare module 'events/events.js' {
  /** The `events` npm package itself (Node's `events` API), also in Node: see engine/host/polyfills.ts. */
  const EventEmitter: unknown;
  export default EventEmitter;
}
