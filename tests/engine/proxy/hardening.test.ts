/**
 * The proxy model against clients that never log in or send more than it buffers, on the virtual
 * network (virtual time: the 60 s start-up timeout costs nothing to wait for).
 */
import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { proxySettings } from '../../../src/facts/rds-proxy.ts';
import { exchange, message, passwordMessage, replyTypes, startupPacket } from '../../support/frontend-fuzz.ts';
import { openProxyBench, PROXY, type ProxyBench } from './support.ts';

let open: ProxyBench | null = null;
afterEach(async () => {
  await open?.bench.close();
  open = null;
});

type VirtualNet = { Socket: new () => Parameters<typeof exchange>[0] };

describe('RDS Proxy model: clients that never finish start-up or send too much', () => {
  it('closes a client that has not logged in after the start-up timeout, without a reply, and counts nothing as idle', async () => {
    open = await openProxyBench();
    const { bench, events, proxy } = open;
    const net = bench.network.netModuleFor(bench.client) as unknown as VirtualNet;
    const result = await bench.run(async () => {
      const start = bench.scheduler.now;
      const silent = await exchange(new net.Socket(), PROXY.port, PROXY.host, [], { halfClose: false });
      const afterStartup = await exchange(new net.Socket(), PROXY.port, PROXY.host, [startupPacket({ user: 'app', database: 'postgres' })], { halfClose: false });
      return { silent, afterStartup, elapsed: bench.scheduler.now - start };
    });
    expect(result.silent.received.length).toBe(0);
    // The second client got AuthenticationCleartextPassword and then nothing more.
    expect(replyTypes(result.afterStartup.received)).toEqual(['R']);
    const timeout = proxySettings.clientStartupTimeout.value;
    expect(result.elapsed).toBeGreaterThanOrEqual(2 * timeout);
    expect(result.elapsed).toBeLessThan(2 * timeout + 1_000);
    expect(events.filter((e) => e.startsWith('client-startup-timeout'))).toHaveLength(2);
    expect(proxy.proxy.stats.clientConnectionsClosedIdle).toBe(0);
    expect(proxy.proxy.clients.size).toBe(0);
  });

  it('refuses a message over the per-client buffer cap at its length word, with a connlab error, and serves the next client', async () => {
    open = await openProxyBench({ clientBufferCapBytes: 1 << 20 });
    const { bench, pg, config, events } = open;
    const net = bench.network.netModuleFor(bench.client) as unknown as VirtualNet;
    const result = await bench.run(async () => {
      const login = [startupPacket({ user: 'app', database: 'postgres' }), passwordMessage('app-password')];
      const over = await exchange(new net.Socket(), PROXY.port, PROXY.host, [...login, message('Q', Buffer.alloc(0), 2 << 20)], { halfClose: false });
      const client = new pg.Client(config());
      await client.connect();
      const n = (await client.query('SELECT 1 AS n')).rows[0].n;
      await client.end();
      return { over, n };
    });
    expect(replyTypes(result.over.received)).toContain('E:connlab proxy: a message of 2097152 bytes would take this client connection past the 1048576 bytes the proxy buffers for one client');
    expect(result.n).toBe(1);
    expect(events.some((e) => e.startsWith('protocol-violation'))).toBe(true);
  });
});
