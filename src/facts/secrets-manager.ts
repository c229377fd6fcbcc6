/**
 * AWS Secrets Manager, its rotation of database credentials, and the AWS Parameters and Secrets
 * Lambda Extension that caches secrets inside an execution environment.
 */
import type { Fact } from './fact.ts';

const STRATEGY = 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html';
const WITH_SECRETS_MANAGER = 'https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html';
const ROTATION_TEMPLATE = 'https://github.com/aws-samples/aws-secrets-manager-rotation-lambdas/blob/master/SecretsManagerRDSPostgreSQLRotationSingleUser/lambda_function.py';
const GET_SECRET_VALUE = 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html';

export const secretsManager = {
  /** The extension's cache lifetime when SECRETS_MANAGER_TTL is not set. */
  extensionTtlDefault: {
    value: 300,
    unit: 's',
    source: WITH_SECRETS_MANAGER,
    note: '"By default, it caches secrets for 300 seconds (5 minutes)"; the extension also caps SECRETS_MANAGER_TTL at 300 s (aws-samples/aws-lambda-extensions issue 104 quotes its warning), and 0 turns the cache off.',
  },
  extensionTtlMax: { value: 300, unit: 's', source: 'https://github.com/aws-samples/aws-lambda-extensions/issues/104', note: 'The extension logs "SECRETS_MANAGER_TTL exceeds max limit. Setting Secrets Manger TTL to 5m0s."' },
  /**
   * Single user: the rotation function changes the password of the one user the secret holds, then
   * moves AWSCURRENT. Open connections are not dropped; between the password change and the label
   * move, the secret's AWSCURRENT value no longer logs in.
   */
  singleUserOverlapMs: {
    value: 0,
    unit: 'ms during which the old and the new password both log in',
    source: STRATEGY,
    note: '"When the secret rotates, open database connections are not dropped. While rotation is happening, there is a short period of time between when the password in the database changes and when the secret is updated."',
  },
  /** The four steps Secrets Manager invokes the rotation function with, in order. */
  rotationSteps: { value: ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const, unit: 'steps, one invocation each', source: ROTATION_TEMPLATE },
  /** Version stage GetSecretValue reads when the request names neither VersionId nor VersionStage. */
  defaultVersionStage: { value: 'AWSCURRENT', unit: 'staging label', source: GET_SECRET_VALUE },
  /** Time between two steps of a rotation (Secrets Manager invoking the rotation function again). */
  rotationStepGapMs: {
    value: 250,
    unit: 'ms between the end of one rotation step and the start of the next',
    source: 'assumption',
    calibrate: 'AWS publishes no figure; compare the four "Step" log lines of a rotation function in CloudWatch Logs, or the RotationStarted and RotationSucceeded events in CloudTrail.',
  },
  /** One GetSecretValue call as the function sees it. */
  requestLatency: {
    value: 15,
    unit: 'ms per call (mean; drawn uniformly within ±30 %)',
    source: 'assumption',
    calibrate: 'AWS publishes no latency for GetSecretValue; time warm calls from a function in the same Region.',
  },
} as const satisfies Record<string, Fact<unknown>>;
