/**
 * The AWS SDK packages a handler may import, as the engine hands them to an execution environment:
 * the real `@aws-sdk/*` modules, whose client classes default their transport to the run's
 * emulators (and their Region and credentials to what Lambda would supply). Handler code therefore
 * looks like production code: `new RDSDataClient({})`, no endpoint.
 *
 * The SDK code is shared by every environment of a run (it owns no timers while retries are off);
 * each client a handler creates is its own. Packages are loaded on demand, so a run whose handlers
 * import none of them loads none (in the page, each is its own chunk).
 */
import type { DataApiEmulator } from '../dataapi/emulator.ts';
import { dataApiRequestHandler } from '../dataapi/request-handler.ts';
import type { DynamoDBEmulator } from '../dynamodb/emulator.ts';
import { dynamoDBRequestHandler } from '../dynamodb/request-handler.ts';
import type { SqsEmulator } from '../sqs/emulator.ts';
import { sqsRequestHandler } from '../sqs/request-handler.ts';
import { SDK_CLIENT_DEFAULTS, SERVICE_ENDPOINTS } from './client-defaults.ts';
import type { SdkPackage } from './packages.ts';

export { SDK_PACKAGES, sdkPackagesUsed, type SdkPackage } from './packages.ts';

export interface EmulatedServices {
  dataApi?: DataApiEmulator;
  dynamodb?: { emulator: DynamoDBEmulator; latency?: (operation: string) => Promise<void> };
  sqs?: { emulator: SqsEmulator; latency?: () => Promise<void> };
}

type ClientClass = new (config?: Record<string, unknown>) => { send(command: unknown): Promise<unknown> };

/**
 * SigV4 as a no-op: nothing in the simulator checks signatures, and signing is the most expensive
 * step of a call. (`connlab serve` answers real, signed requests; it does not check them either.)
 */
const UNSIGNED = [{ schemeId: 'aws.auth#sigv4', identityProvider: (config: { getIdentityProvider(id: string): unknown }) => config.getIdentityProvider('aws.auth#sigv4'), signer: { sign: async (request: unknown) => request } }];

/** A subclass whose constructor fills in what the code did not say. */
function withDefaults(Base: ClientClass, defaults: () => Record<string, unknown>): ClientClass {
  const Emulated = class extends Base {
    constructor(config: Record<string, unknown> = {}) {
      // The transport is always the emulator: nothing in the simulator can reach a real endpoint.
      super({ ...SDK_CLIENT_DEFAULTS, ...config, ...defaults(), httpAuthSchemes: UNSIGNED });
    }
  };
  Object.defineProperty(Emulated, 'name', { value: Base.name });
  return Emulated;
}

function missing(service: string, pkg: string): () => never {
  return () => {
    throw new Error(`${pkg}: this sandbox has no ${service}; the simulator routes AWS SDK clients to the sandbox's own emulators only`);
  };
}

/** The module objects a handler gets when it imports one of the packages named, in every environment of the run. */
export async function sdkModules(packages: readonly SdkPackage[], services: EmulatedServices): Promise<Record<string, unknown>> {
  const modules: Record<string, unknown> = {};
  for (const name of new Set(packages)) {
    switch (name) {
      case '@aws-sdk/client-rds-data': {
        const sdk = await import('@aws-sdk/client-rds-data');
        const handler = services.dataApi ? dataApiRequestHandler(services.dataApi) : null;
        const fail = missing('Data API', name);
        modules[name] = { ...sdk, RDSDataClient: withDefaults(sdk.RDSDataClient as unknown as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS['rds-data'], requestHandler: handler ?? fail() })) };
        break;
      }
      case '@aws-sdk/client-dynamodb':
      case '@aws-sdk/lib-dynamodb': {
        const sdk = await import('@aws-sdk/client-dynamodb');
        const dynamodb = services.dynamodb;
        const handler = dynamodb ? dynamoDBRequestHandler(dynamodb.emulator, dynamodb.latency ? { latency: dynamodb.latency } : {}) : null;
        const fail = missing('DynamoDB table', '@aws-sdk/client-dynamodb');
        const client = { ...sdk, DynamoDBClient: withDefaults(sdk.DynamoDBClient as unknown as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS.dynamodb, requestHandler: handler ?? fail() })) };
        modules['@aws-sdk/client-dynamodb'] = client;
        if (name === '@aws-sdk/lib-dynamodb' || packages.includes('@aws-sdk/lib-dynamodb')) modules['@aws-sdk/lib-dynamodb'] = { ...(await import('@aws-sdk/lib-dynamodb')) };
        break;
      }
      case '@aws-sdk/client-sqs': {
        const sdk = await import('@aws-sdk/client-sqs');
        const handler = services.sqs ? sqsRequestHandler(services.sqs.emulator, services.sqs.latency ? { latency: services.sqs.latency } : {}) : null;
        const fail = missing('SQS queue', name);
        // md5: the emulator sends no MD5 digests, so the client must not check them.
        modules[name] = { ...sdk, SQSClient: withDefaults(sdk.SQSClient as unknown as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS.sqs, md5: false, requestHandler: handler ?? fail() })) };
        break;
      }
    }
  }
  await warm(modules);
  return modules;
}

let warmed: Promise<void> | null = null;

/**
 * One call through a client before any run: the first call of a process reads the shared config
 * files (in Node) and those reads are cached, so calls inside a run settle on the virtual clock.
 */
function warm(modules: Record<string, unknown>): Promise<void> {
  const sdk = (modules['@aws-sdk/client-rds-data'] ?? modules['@aws-sdk/client-dynamodb'] ?? modules['@aws-sdk/client-sqs']) as Record<string, unknown> | undefined;
  if (!sdk || warmed) return warmed ?? Promise.resolve();
  warmed = (async () => {
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

/** For tests and `connlab serve`-side code that builds its own clients on the virtual clock. */
export const warmSdk = () => warm({ '@aws-sdk/client-rds-data': {} });
