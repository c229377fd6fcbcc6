/** Every rule, in the order findings on the same line are listed. */
import type { Rule } from '../rule.ts';
import { rule as perInvocationConnection } from './per-invocation-connection.ts';
import { rule as connectionClosedInHandler } from './connection-closed-in-handler.ts';
import { rule as poolSize } from './pool-size.ts';
import { rule as connectionBudget } from './connection-budget.ts';
import { rule as missingErrorListener } from './missing-error-listener.ts';
import { rule as idleTimeout } from './idle-timeout.ts';
import { rule as connectTimeout } from './connect-timeout.ts';
import { rule as queryTimeout } from './query-timeout.ts';
import { rule as pythonNoReconnect } from './python-no-reconnect.ts';
import { rule as iamTokenAtInit } from './iam-token-at-init.ts';
import { rule as proxyPinning } from './proxy-pinning.ts';
import { rule as tlsUnverified } from './tls-unverified.ts';
import { rule as credentialsInCode } from './credentials-in-code.ts';
import { rule as passwordFromEnv } from './password-from-env.ts';
import { rule as sqlBuiltFromStrings } from './sql-built-from-strings.ts';
import { rule as transactionHeldOpen } from './transaction-held-open.ts';
import { rule as secretReadOnce } from './secret-read-once.ts';
import { rule as poolNotClosedOnShutdown } from './pool-not-closed-on-shutdown.ts';

export const rules: readonly Rule[] = [
  perInvocationConnection,
  connectionClosedInHandler,
  poolSize,
  connectionBudget,
  missingErrorListener,
  idleTimeout,
  poolNotClosedOnShutdown,
  connectTimeout,
  queryTimeout,
  pythonNoReconnect,
  iamTokenAtInit,
  proxyPinning,
  transactionHeldOpen,
  tlsUnverified,
  credentialsInCode,
  secretReadOnce,
  passwordFromEnv,
  sqlBuiltFromStrings,
];
