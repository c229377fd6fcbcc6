/**
 * For tests that build their own clients from the Node SDK (not a run's bundle, sdk-instance.ts) on
 * the virtual clock. Kept apart from the engine's SDK code so that no engine chunk imports the SDK.
 */
import { SDK_CLIENT_DEFAULTS, SERVICE_ENDPOINTS } from './client-defaults.ts';

let warmed: Promise<void> | null = null;

/**
 * One call through a client first: the first call of a Node process reads the shared config files and
 * caches them, so later calls settle on the virtual clock.
 */
export function warmSdk(): Promise<void> {
  warmed ??= (async () => {
    const { RDSDataClient, ExecuteStatementCommand } = await import('@aws-sdk/client-rds-data');
    const canned = {
      handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{}') } }),
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
    const client = new RDSDataClient({ ...SDK_CLIENT_DEFAULTS, endpoint: SERVICE_ENDPOINTS['rds-data'], requestHandler: canned } as never);
    await client.send(new ExecuteStatementCommand({ resourceArn: 'warm', secretArn: 'warm', sql: 'SELECT 1' }));
  })();
  return warmed;
}
