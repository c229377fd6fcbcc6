/**
 * The Worker's entry: small on purpose. A prefetch starts PostgreSQL's downloads (3.3 MB with
 * brotli) as soon as this script has arrived, while the engine (engine-in-worker.ts: PGlite, `pg`,
 * the simulation; 0.26 MB with brotli) still loads beside them. With the engine in the entry, the
 * downloads waited for its last byte: on a 10 Mbit/s network that was 1.2 s of the reader's wait.
 * Every message then goes to the engine, in the order the page sent it.
 */
import { downloadPostgres } from '../../engine/host/postgres-download.ts';
import type { ToWorker } from './protocol.ts';

const engine = import('./engine-in-worker.ts');
// An engine that could not load is the Worker's error, thrown in a task of its own so that the page
// hears of it (its 'error' event) and says so, as when the Worker's own script fails to load.
engine.catch((error: unknown) =>
  setTimeout(() => {
    throw error;
  }),
);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  // A failed prefetch is no failure: the next Run downloads again and says what went wrong.
  if (message.type === 'prefetch') downloadPostgres('low').catch(() => {});
  void engine.then(({ receive }) => receive(message));
});
