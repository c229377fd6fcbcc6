/**
 * Configuration every emulated AWS SDK client gets unless the code says otherwise: what Lambda's
 * environment would supply (Region, credentials), plus explicit values for settings the SDK would
 * otherwise look up in shared config files (real I/O outside the virtual clock).
 */
export const SDK_CLIENT_DEFAULTS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'ASIACONNLABEXAMPLE', secretAccessKey: 'connlab-example-secret', sessionToken: 'connlab-example-token' },
  // Retries would sleep on the host's timers, outside virtual time: every call is one attempt.
  maxAttempts: 1,
  retryMode: 'standard',
  useDualstackEndpoint: false,
  useFipsEndpoint: false,
  userAgentAppId: 'connlab',
  authSchemePreference: [],
  defaultsMode: 'standard',
  accountIdEndpointMode: 'disabled',
  endpointDiscoveryEnabled: false,
} as const;

/**
 * The Regional endpoint of each service, given explicitly because without one the SDK looks for a
 * configured endpoint URL in the shared config files first. The request never leaves the process.
 */
export const SERVICE_ENDPOINTS = {
  'rds-data': 'https://rds-data.us-east-1.amazonaws.com',
  dynamodb: 'https://dynamodb.us-east-1.amazonaws.com',
  sqs: 'https://sqs.us-east-1.amazonaws.com',
  secretsmanager: 'https://secretsmanager.us-east-1.amazonaws.com',
} as const;
