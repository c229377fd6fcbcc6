/**
 * Which AWS SDK packages handlers may import, and which ones a handler does: cheap to load, so a
 * run decides whether it needs the SDK before fetching any of it.
 */
export const SDK_PACKAGES = ['@aws-sdk/client-rds-data', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sqs'] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/** The SDK packages a handler's source imports or requires. */
export function sdkPackagesUsed(source: string): SdkPackage[] {
  return SDK_PACKAGES.filter((name) => source.includes(`'${name}'`) || source.includes(`"${name}"`));
}
