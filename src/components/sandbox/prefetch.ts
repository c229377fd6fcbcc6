/**
 * PostgreSQL (PGlite's WebAssembly, its file bundle and the data directory, 3.6 MB with brotli)
 * starts loading when a sandbox comes within a viewport's height of being seen, so that Run waits
 * only for what is left. Not for a reader who asked to save data (Save-Data) or whose connection is
 * 2G: there the bytes wait for Run. The page's one Worker is shared by every sandbox on it, so the
 * first sandbox to come near prefetches for all of them.
 */
import { prefetchPostgres } from './engine-client.ts';
import { readSandboxSource } from './sandbox-source.ts';

/** What the Network Information API says of the connection (absent in Firefox and Safari). */
export interface ConnectionInfo {
  saveData?: boolean;
  effectiveType?: string;
}

/** True unless the reader saves data or is on a 2G-class connection; unknown means prefetch. */
export function shouldPrefetch(connection: ConnectionInfo | undefined): boolean {
  if (!connection) return true;
  if (connection.saveData) return false;
  return connection.effectiveType !== '2g' && connection.effectiveType !== 'slow-2g';
}

let requested = false;

/**
 * Prefetches PostgreSQL, and what a run of the sandbox `element` loads, once it is within one
 * viewport height of the viewport. Loaded beside the island (Sandbox.astro), not by it.
 * Not the chart: uPlot builds an Intl.NumberFormat as it is evaluated, which starts the browser's
 * ICU number formatting (65–360 ms on a 4× slowed CPU), so it waits for a Run rather than land in
 * the page's start-up (tests/e2e/start-up.spec.ts).
 */
export function prefetchWhenNear(element: Element): void {
  if (requested || !shouldPrefetch((navigator as { connection?: ConnectionInfo }).connection)) return;
  const observer = new IntersectionObserver(
    (entries) => {
      if (requested || !entries.some((entry) => entry.isIntersecting)) return;
      requested = true;
      observer.disconnect();
      prefetchPostgres(readSandboxSource(element));
    },
    { rootMargin: '100% 0px' },
  );
  observer.observe(element);
}
