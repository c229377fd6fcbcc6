/**
 * Which AWS SDK packages handlers may import, and which ones a handler does: cheap to load, so a
 * run decides whether it needs the SDK before fetching any of it.
 */
export const SDK_PACKAGES = ['@aws-sdk/client-rds-data', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-secrets-manager'] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/**
 * The SDK as the engine loads it: one CommonJS text per service, each a bundle of its packages and
 * everything they import, whose `module.exports` maps each package name to its exports. A run
 * evaluates the texts it needs afresh (sdk-modules.ts), so no object of the SDK outlives a run.
 * `lib-dynamodb` shares its bundle with the client it wraps: one `@aws-sdk/client-dynamodb` per run.
 */
export const SDK_BUNDLES = {
  'rds-data': ['@aws-sdk/client-rds-data'],
  dynamodb: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  sqs: ['@aws-sdk/client-sqs'],
  'secrets-manager': ['@aws-sdk/client-secrets-manager'],
} as const satisfies Record<string, readonly SdkPackage[]>;
export type SdkBundle = keyof typeof SDK_BUNDLES;

export const bundleOf = (name: SdkPackage): SdkBundle => (Object.keys(SDK_BUNDLES) as SdkBundle[]).find((bundle) => (SDK_BUNDLES[bundle] as readonly SdkPackage[]).includes(name))!;

/** The SDK packages a handler's source imports or requires. */
export function sdkPackagesUsed(source: string): SdkPackage[] {
  return SDK_PACKAGES.filter((name) => source.includes(`'${name}'`) || source.includes(`"${name}"`));
}
