/**
 * The sandbox handlers turn on TCP keepalive (`keepAlive: true`, `keepAliveInitialDelayMillis`). The
 * real `pg` then calls `socket.setKeepAlive(true, delay)` once the socket connects; the virtual socket
 * must take that call, or the handler fails before its first query.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Pg = { Client: new (config: object) => any };

let bench: Workbench | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await bench?.close();
  bench = null;
});

describe('virtual socket: TCP keepalive', () => {
  it('takes the setKeepAlive call pg makes with keepAlive: true, and the connection works', async () => {
    bench = await openWorkbench(nodeHost);
    const { Socket } = bench.network.netModuleFor(bench.client) as { Socket: { prototype: object } };
    // Every owner's net.Socket builds ClientSockets: its prototype is theirs.
    const virtualSocket = Socket.prototype as { setKeepAlive(enable?: boolean, delay?: number): unknown };
    const setKeepAlive = vi.spyOn(virtualSocket, 'setKeepAlive');
    const pg = bench.pg as unknown as Pg;
    const config = { host: bench.host, port: bench.port, user: 'app', password: 'app-password', database: 'postgres' };
    const rows = await bench.run(async () => {
      const client = new pg.Client({ ...config, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
      await client.connect();
      const result = (await client.query('SELECT 1 AS one')).rows;
      await client.end();
      return result;
    });
    expect(rows).toEqual([{ one: 1 }]);
    expect(setKeepAlive).toHaveBeenCalledTimes(1);
    expect(setKeepAlive).toHaveBeenCalledWith(true, 10_000);
  });

  it('is not asked for keepalive when the client does not turn it on', async () => {
    bench = await openWorkbench(nodeHost);
    const { Socket } = bench.network.netModuleFor(bench.client) as { Socket: { prototype: object } };
    const setKeepAlive = vi.spyOn(Socket.prototype as { setKeepAlive(): unknown }, 'setKeepAlive');
    const pg = bench.pg as unknown as Pg;
    await bench.run(async () => {
      const client = new pg.Client({ host: bench!.host, port: bench!.port, user: 'app', password: 'app-password', database: 'postgres' });
      await client.connect();
      await client.end();
    });
    expect(setKeepAlive).not.toHaveBeenCalled();
  });
});
