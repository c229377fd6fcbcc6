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

declare module 'virtual:connlab/pglite-datadir' {
  /** URL of an initialised PGlite data directory (tar.gz), or null in the dev server. */
  const url: string | null;
  export default url;
}

declare module 'events/events.js' {
  /** The `events` npm package itself (Node's `events` API), also in Node: see engine/host/polyfills.ts. */
  const EventEmitter: unknown;
  export default EventEmitter;
}
