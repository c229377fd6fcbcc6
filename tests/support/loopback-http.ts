/** Test HTTP servers on 127.0.0.1, at a port the system picks. */
import type { Server } from 'node:http';

/** Listens on 127.0.0.1 and answers the server's base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Closes the server, ending kept-alive connections rather than waiting for them. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
