/**
 * The AWS SDK packages a handler may import, as the engine hands them to an execution environment:
 * the real `@aws-sdk/*` modules, whose client classes default their transport to the run's
 * emulators (and their Region and credentials to what Lambda would supply). Handler code therefore
 * looks like production code: `new RDSDataClient({})`, no endpoint.
 *
 * Each run evaluates the SDK afresh from its bundle text (sdk-instance.ts), and each
 * client a handler creates gets its own configuration objects: handler code (perhaps a stranger's,
 * from a share link) can change the SDK's deep objects (command prototypes, protocol objects,
 * schemas, the error registries), and that change must not reach the next run in the same Worker
 * or process. Within a run the SDK is shared by every environment (it owns no timers while retries
 * are off), with its exported surfaces frozen (`freezeSurfaces`). A run whose handlers import none
 * of it loads none (in the page, each bundle is its own chunk).
 */
import type { DataApiEmulator } from '../dataapi/emulator.ts';
import { dataApiRequestHandler } from '../dataapi/request-handler.ts';
import type { DynamoDBEmulator } from '../dynamodb/emulator.ts';
import { dynamoDBRequestHandler } from '../dynamodb/request-handler.ts';
import type { SqsEmulator } from '../sqs/emulator.ts';
import { sqsRequestHandler } from '../sqs/request-handler.ts';
import type { SecretsManagerEmulator } from '../secretsmanager/emulator.ts';
import { secretsManagerRequestHandler } from '../secretsmanager/request-handler.ts';
import { SDK_CLIENT_DEFAULTS, SERVICE_ENDPOINTS } from './client-defaults.ts';
import { bundleOf, type SdkBundle, type SdkPackage } from '../host/sdk-packages.ts';
import type { SdkModule } from './sdk-instance.ts';
import type { Scheduler } from '../clock/scheduler.ts';
import { answeringCaller, type EmulatorRequestHandler } from '../net/emulated-http.ts';

export { SDK_PACKAGES, sdkPackagesUsed, type SdkPackage } from '../host/sdk-packages.ts';

export interface EmulatedServices {
  /** The run's clock: each answer reaches the calling environment in an event of its own (`answeringCaller`). */
  scheduler?: Scheduler;
  dataApi?: DataApiEmulator;
  dynamodb?: { emulator: DynamoDBEmulator; latency?: (operation: string) => Promise<void> };
  sqs?: { emulator: SqsEmulator; latency?: () => Promise<void> };
  secretsManager?: { emulator: SecretsManagerEmulator; latency?: () => Promise<void> };
}

type ClientClass = new (config?: Record<string, unknown>) => { send(command: unknown): Promise<unknown> };

/**
 * SigV4 as a no-op: nothing in the simulator checks signatures, and signing is the most expensive
 * step of a call. (`connlab serve` answers real, signed requests; it does not check them either.)
 * A new list per client: the client keeps it in its configuration, where its code can reach it.
 */
const unsigned = () => [{ schemeId: 'aws.auth#sigv4', identityProvider: (config: { getIdentityProvider(id: string): unknown }) => config.getIdentityProvider('aws.auth#sigv4'), signer: { sign: async (request: unknown) => request } }];

/** A subclass whose constructor fills in what the code did not say, with objects of its own. */
function withDefaults(Base: ClientClass, defaults: () => Record<string, unknown>): ClientClass {
  const Emulated = class extends Base {
    constructor(config: Record<string, unknown> = {}) {
      const own = { ...SDK_CLIENT_DEFAULTS, credentials: { ...SDK_CLIENT_DEFAULTS.credentials }, authSchemePreference: [] };
      // The transport is always the emulator: nothing in the simulator can reach a real endpoint.
      super({ ...own, ...config, ...defaults(), httpAuthSchemes: unsigned() });
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
export async function sdkModules(packages: readonly SdkPackage[], services: EmulatedServices, instance: (bundle: SdkBundle) => Promise<Record<string, SdkModule>>): Promise<Record<string, unknown>> {
  const loaded: Partial<Record<SdkPackage, SdkModule>> = {};
  for (const bundle of new Set(packages.map(bundleOf))) Object.assign(loaded, await instance(bundle));
  const modules: Record<string, unknown> = {};
  const { scheduler } = services;
  const toCaller = (handler: EmulatorRequestHandler | null) => (handler && scheduler ? answeringCaller(handler, scheduler) : handler);
  for (const name of new Set(packages)) {
    switch (name) {
      case '@aws-sdk/client-rds-data': {
        const sdk = loaded[name]!;
        const handler = toCaller(services.dataApi ? dataApiRequestHandler(services.dataApi) : null);
        const fail = missing('Data API', name);
        modules[name] = { ...sdk, RDSDataClient: withDefaults(sdk.RDSDataClient as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS['rds-data'], requestHandler: handler ?? fail() })) };
        break;
      }
      case '@aws-sdk/client-dynamodb':
      case '@aws-sdk/lib-dynamodb': {
        const sdk = loaded['@aws-sdk/client-dynamodb']!;
        const dynamodb = services.dynamodb;
        const handler = toCaller(dynamodb ? dynamoDBRequestHandler(dynamodb.emulator, dynamodb.latency ? { latency: dynamodb.latency } : {}) : null);
        const fail = missing('DynamoDB table', '@aws-sdk/client-dynamodb');
        modules['@aws-sdk/client-dynamodb'] = { ...sdk, DynamoDBClient: withDefaults(sdk.DynamoDBClient as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS.dynamodb, requestHandler: handler ?? fail() })) };
        if (packages.includes('@aws-sdk/lib-dynamodb')) modules['@aws-sdk/lib-dynamodb'] = { ...loaded['@aws-sdk/lib-dynamodb']! };
        break;
      }
      case '@aws-sdk/client-sqs': {
        const sdk = loaded[name]!;
        const handler = toCaller(services.sqs ? sqsRequestHandler(services.sqs.emulator, services.sqs.latency ? { latency: services.sqs.latency } : {}) : null);
        const fail = missing('SQS queue', name);
        // md5: the emulator sends no MD5 digests, so the client must not check them.
        modules[name] = { ...sdk, SQSClient: withDefaults(sdk.SQSClient as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS.sqs, md5: false, requestHandler: handler ?? fail() })) };
        break;
      }
      case '@aws-sdk/client-secrets-manager': {
        const sdk = loaded[name]!;
        const secrets = services.secretsManager;
        const handler = toCaller(secrets ? secretsManagerRequestHandler(secrets.emulator, secrets.latency ? { latency: secrets.latency } : {}) : null);
        const fail = missing('secret in Secrets Manager', name);
        modules[name] = { ...sdk, SecretsManagerClient: withDefaults(sdk.SecretsManagerClient as ClientClass, () => ({ endpoint: SERVICE_ENDPOINTS.secretsmanager, requestHandler: handler ?? fail() })) };
        break;
      }
    }
  }
  return modules;
}
