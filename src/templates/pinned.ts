/**
 * Exact versions the generated projects pin. npm versions are the ones this repository installs
 * and type-checks against in `npm test`; Python pins are the newest releases known to the authors
 * (the registry is not reachable from CI, so the tests run the Python code on Debian's psycopg 3.1
 * and boto3 1.26 instead, which the code also supports, except Aurora DSQL's client: the Aurora DSQL
 * projects' tests add a boto3 that has it).
 */
import type { Runtime } from '../vocabulary/choices.ts';

export const npmVersions = {
  pg: '8.23.1',
  '@types/pg': '8.23.1',
  '@aws-sdk/rds-signer': '3.1175.0',
  '@aws-sdk/dsql-signer': '3.1142.0',
  '@aws-sdk/client-secrets-manager': '3.1164.0',
  '@aws-sdk/client-rds-data': '3.1143.0',
  '@aws-sdk/client-dynamodb': '3.1169.0',
  '@aws-sdk/lib-dynamodb': '3.1169.0',
  '@types/aws-lambda': '8.10.164',
  typescript: '6.0.3',
  'aws-cdk-lib': '2.276.0',
  constructs: '10.8.1',
  'aws-cdk': '2.1148.1',
} as const;

export const typesNodeFor = (runtime: Runtime): string => (runtime === 'nodejs24.x' ? '24.19.4' : '22.20.7');
export const nodeMajorFor = (runtime: Runtime): number => (runtime === 'nodejs24.x' ? 24 : 22);

export const pipVersions = {
  'psycopg[binary]': '3.2.3',
  // The first boto3 releases have no Aurora DSQL client (generate_db_connect_auth_token); this one has.
  boto3: '1.43.11',
} as const;
