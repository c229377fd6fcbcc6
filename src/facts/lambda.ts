/**
 * AWS Lambda's concurrency, scaling and lifecycle as the virtual Lambda models them (fact sheet, section D).
 */
import type { Fact } from './fact.ts';

const SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html';
const LIMITS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const LIFECYCLE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html';
const RESERVED = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html';
const CONFIGURATION = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html';
const BILLING = 'https://aws.amazon.com/lambda/pricing/';
const THROTTLE = 'https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html';
const TIMEOUT_MESSAGE = 'https://repost.aws/questions/QUqSBe4pqiQ86dYtOX0ydtEg/redshift-connection-error';

export const lambda = {
  accountConcurrency: { value: 1000, unit: 'concurrent executions per Region', source: LIMITS, factSheet: 'D' },
  unreservedMinimum: { value: 100, unit: 'concurrent executions', source: RESERVED, factSheet: 'D' },
  scalingEnvironments: { value: 1000, unit: 'new execution environments per function', source: SCALING, factSheet: 'D' },
  scalingWindow: { value: 10_000, unit: 'ms', source: SCALING, factSheet: 'D' },
  initLimit: { value: 10_000, unit: 'ms', source: LIFECYCLE, factSheet: 'D', note: 'Without provisioned concurrency or SnapStart.' },
  defaultTimeout: { value: 3_000, unit: 'ms', source: CONFIGURATION },
  maxTimeout: { value: 900_000, unit: 'ms', source: LIMITS, factSheet: 'D' },
  billingGranularity: { value: 1, unit: 'ms', source: BILLING },
  /**
   * The error an invocation that outlives its function timeout ends with, N the seconds it ran to two decimals
   * (the REPORT line then says `Status: timeout`). AWS's own pages name the message ("Task timed out") without the
   * format; the format is what CloudWatch shows, as quoted there.
   */
  timeoutMessage: {
    value: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after %s seconds' },
    unit: 'error (%s: seconds with two decimals, e.g. 6.00)',
    source: TIMEOUT_MESSAGE,
    note: 'AWS re:Post names the message; https://fixdevs.com/blog/aws-lambda-timeout quotes the full log line and REPORT.',
  },
  /** What the Invoke API answers when concurrency is exhausted: HTTP 429. */
  throttle: {
    value: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
    unit: 'error',
    source: THROTTLE,
  },
  /** The platform's part of a cold start (microVM, runtime start), before the module's own top-level code. */
  coldStartPlatform: {
    value: 150,
    unit: 'ms (mean; drawn uniformly within ±30 %)',
    source: 'assumption',
    calibrate: 'Init Duration in the REPORT line of a function whose module does nothing, minus nothing: it is the platform part alone. Node.js functions commonly show 100 to 250 ms.',
  },
  /** The path between a caller and the function (front end, routing), each way. Callers wait it before and after an invocation. */
  invokeOverhead: {
    value: 5,
    unit: 'ms each way',
    source: 'assumption',
    calibrate: 'Client-measured Invoke latency minus the Duration in the REPORT line, halved.',
  },
  /** AWS publishes no idle lifetime ("for some time"); the sandboxes expose it as a parameter. */
  idleLifetime: {
    value: 300_000,
    unit: 'ms (each environment draws uniformly within ±20 %)',
    source: 'assumption',
    calibrate: 'Invoke once, wait N minutes, invoke again and look for an Init Duration in the REPORT line; bisect on N. AWS says only that idle environments are kept "for some time".',
  },
} satisfies Record<string, Fact<unknown>>;

const MANAGED_INSTANCES = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-core-concepts.html';
const MANAGED_INSTANCES_RUNTIMES = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html';
const GRACEFUL_SHUTDOWN = 'https://github.com/aws-samples/graceful-shutdown-with-aws-lambda';
const SECRETS_IN_LAMBDA = 'https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html';
const SECRETS_EXTENSION_PHASE = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html';

const MANAGED_INSTANCES_NODEJS = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html';
const MANAGED_INSTANCES_SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html';
const MANAGED_INSTANCES_ENVIRONMENT = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-execution-environment.html';
const MANAGED_INSTANCES_CONFIG = 'https://docs.aws.amazon.com/lambda/latest/api/API_LambdaManagedInstancesCapacityProviderConfig.html';
const MANAGED_INSTANCES_SCALING_CONFIG = 'https://docs.aws.amazon.com/lambda/latest/api/API_FunctionScalingConfig.html';
const SAM_FUNCTION_SCALING_CONFIG = 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionscalingconfig.html';
const MANAGED_INSTANCES_MAX_CONCURRENCY_VARIABLE = 'https://github.com/aws/aws-lambda-go/pull/600';
const MANAGED_INSTANCES_OPERATOR_ROLE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-operator-role.html';
const TERRAFORM_AWS_6_24 = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/CHANGELOG.md#6240-december-2-2025';
const TERRAFORM_AWS_FUNCTION_SCALING_CONFIG = 'https://github.com/hashicorp/terraform-provider-aws/pull/48229';

/**
 * Lambda Managed Instances, where the one-invocation-per-environment premise of chapters 1 and 2 does not hold
 * (fact sheet, section I). The `managed-instances` sandbox runs them (src/engine/lambda/managed.ts).
 */
export const managedInstances = {
  /** Environments serve several invocations at once and are not frozen between them. */
  concurrentInvocationsPerEnvironment: {
    value: 'several',
    unit: 'invocations at once per execution environment (Node.js: worker threads; Python: processes)',
    source: MANAGED_INSTANCES_RUNTIMES,
    factSheet: 'I',
  },
  /** PerExecutionEnvironmentMaxConcurrency when it is not set, for Node.js. */
  nodejsDefaultConcurrencyPerVcpu: { value: 64, unit: 'concurrent invocations per vCPU of an execution environment (Node.js default of PerExecutionEnvironmentMaxConcurrency)', source: MANAGED_INSTANCES_NODEJS },
  maxConcurrencyPerEnvironment: { value: 1600, unit: 'concurrent invocations per execution environment (largest PerExecutionEnvironmentMaxConcurrency; smallest 1)', source: MANAGED_INSTANCES_CONFIG },
  /** FunctionScalingConfig.MaxExecutionEnvironments: the bound on environments, as reserved concurrency is on default compute. */
  maxExecutionEnvironmentsLimit: { value: 15_000, unit: 'MaxExecutionEnvironments, at most', source: MANAGED_INSTANCES_SCALING_CONFIG },
  /** Min and MaxExecutionEnvironments when a function sets no FunctionScalingConfig: then nothing bounds environments × pool size by the connection budget. */
  defaultExecutionEnvironments: { value: 3, unit: 'MinExecutionEnvironments and MaxExecutionEnvironments by default', source: SAM_FUNCTION_SCALING_CONFIG },
  /** What the generated projects set MinExecutionEnvironments to. */
  generatedMinExecutionEnvironments: {
    value: 1,
    unit: 'MinExecutionEnvironments in the generated projects',
    source: 'assumption',
    calibrate: 'The authors\' choice: AWS\'s default minimum (3, one per Availability Zone) would exceed a MaxExecutionEnvironments below 3, which a small connection budget can need. Raise it to 3 when MaxExecutionEnvironments allows, for an environment in each Availability Zone.',
  },
  /** Node.js runs one worker thread per vCPU by default (AWS_LAMBDA_NODEJS_WORKER_COUNT overrides it); INIT, hence a module-level pool, is per worker thread. */
  nodejsWorkerThreadsPerVcpu: { value: 1, unit: 'worker threads per vCPU (default), each with its own module scope', source: MANAGED_INSTANCES_NODEJS },
  /** The variable Lambda sets in a Managed Instances environment: the invocations it may run at once. */
  maxConcurrencyVariable: { value: 'AWS_LAMBDA_MAX_CONCURRENCY', unit: 'environment variable', source: MANAGED_INSTANCES_MAX_CONCURRENCY_VARIABLE },
  /** The smallest function: 2 GB and 1 vCPU (the c family's 2:1 ratio is the lowest). */
  minimumVcpus: { value: 1, unit: 'vCPU per execution environment (at least 2 GB with it)', source: MANAGED_INSTANCES_SCALING },
  minimumMemoryGiBPerVcpu: { value: 2, unit: 'GiB per vCPU (ExecutionEnvironmentMemoryGiBPerVCpu minimum)', source: MANAGED_INSTANCES_CONFIG },
  maximumMemoryGiBPerVcpu: { value: 8, unit: 'GiB per vCPU (ExecutionEnvironmentMemoryGiBPerVCpu maximum)', source: MANAGED_INSTANCES_CONFIG },
  /** The role Lambda assumes to launch the capacity provider's instances: trusted service and the AWS managed policy it needs at least. */
  operatorRoleService: { value: 'lambda.amazonaws.com', unit: 'service principal the operator role trusts', source: MANAGED_INSTANCES_OPERATOR_ROLE },
  operatorRolePolicy: { value: 'AWSLambdaManagedEC2ResourceOperator', unit: 'AWS managed policy (arn:PARTITION:iam::aws:policy/NAME) the operator role needs at least', source: MANAGED_INSTANCES_OPERATOR_ROLE },
  /** The first hashicorp/aws release with aws_lambda_capacity_provider and aws_lambda_function's capacity_provider_config and publish_to. */
  terraformProviderVersion: { value: '6.24.0', unit: 'hashicorp/aws provider version', source: TERRAFORM_AWS_6_24 },
  /** The first hashicorp/aws release with aws_lambda_function_scaling_config: the newest resource the generated Terraform uses, so its floor. */
  terraformScalingConfigProviderVersion: {
    value: '6.54.0',
    unit: 'hashicorp/aws provider version',
    source: TERRAFORM_AWS_FUNCTION_SCALING_CONFIG,
    note: 'The pull request that added the resource (its .changelog entry: new-resource aws_lambda_function_scaling_config), opened June 2026 to close issue #47770, filed because the capacity provider of 6.24.0 came without it. The release number was read in a Terraform module\'s provider constraint ("aws_lambda_function_scaling_config resource (6.54.0)"), consistent with the provider bindings for 6.55.0 that include it; the provider CHANGELOG\'s entry was not in the search corpus (MED).',
  },
  /** Publishing a version starts three instances (one per AZ) and three execution environments before it is ACTIVE. */
  environmentsAtPublish: { value: 3, unit: 'execution environments started before the version is ACTIVE', source: MANAGED_INSTANCES_SCALING },
  /** Capacity follows CPU utilisation; traffic that more than doubles within this window may be throttled. */
  trafficDoublingWindow: { value: 300_000, unit: 'ms', source: MANAGED_INSTANCES, factSheet: 'I' },
  /** Not frozen: an environment keeps running between invocations, so its timers (a pool's idle timeout) fire. */
  frozenBetweenInvocations: { value: 'no', unit: 'whether the environment is frozen between invocations', source: MANAGED_INSTANCES_ENVIRONMENT },
  /** Billing: the EC2 instances at their price, plus a management fee on it, plus requests; no duration charge. */
  managementFee: { value: 15, unit: '% on top of the EC2 on-demand price of the instances', source: BILLING, note: 'The pricing page renders its tables client-side; the figure is the one its text states for Managed Instances.' },
  requestPrice: { value: 0.2, unit: 'USD per million requests', source: BILLING },
  /**
   * The model's own: CPU time an invocation spends in the runtime (deserialising, the handler's own code,
   * the driver), which the scaler's utilisation counts. The waits on the database and downstream calls use none.
   */
  cpuPerInvocation: {
    value: 10,
    unit: 'ms of one vCPU per invocation',
    source: 'assumption',
    calibrate: 'ExecutionEnvironmentVCPUUtilization × vCPUs × 1,000 / invocations per second, from the function\'s CloudWatch metrics under steady traffic.',
  },
  /** How often the scaler decides, in the model. AWS describes the signals, not the cadence. */
  scalingInterval: {
    value: 10_000,
    unit: 'ms between scaling decisions',
    source: 'assumption',
    calibrate: 'Step the traffic up and read when EnvironmentsAlive (the execution environment count) starts to follow in CloudWatch.',
  },
  /** The CPU utilisation the scaler aims at; configurable per capacity provider, its default unpublished. */
  targetUtilization: {
    value: 0.5,
    unit: 'fraction of the environments\' vCPUs',
    source: 'assumption',
    calibrate: 'The capacity provider\'s target resource utilisation if you set one; otherwise the CPUUtilization the fleet settles at under steady traffic.',
  },
} satisfies Record<string, Fact<number | string>>;

/** What code of yours can do when Lambda retires an environment (fact sheet, sections D and I). */
export const shutdown = {
  /** The whole shutdown phase, runtime and extensions together. */
  phaseLimit: { value: 2_000, unit: 'ms', source: LIFECYCLE, factSheet: 'D' },
  /**
   * With an extension registered, the runtime gets SIGTERM and this long to clean up before SIGKILL; never on a
   * crash or a timeout.
   */
  runtimeGraceAfterSigterm: {
    value: 300,
    unit: 'ms (500 ms when the runtime has an internal extension)',
    source: GRACEFUL_SHUTDOWN,
    factSheet: 'I',
  },
  /** The runtime's time between SIGTERM and SIGKILL, by the kind of extension the function registers (none: no SIGTERM at all). */
  runtimeGraceInternalExtension: { value: 500, unit: 'ms between SIGTERM and SIGKILL when the runtime registers an internal extension', source: GRACEFUL_SHUTDOWN, factSheet: 'I' },
  runtimeGraceExternalExtension: { value: 300, unit: 'ms between SIGTERM and SIGKILL when only external extensions are registered', source: GRACEFUL_SHUTDOWN, factSheet: 'I' },
} satisfies Record<string, Fact>;

/** The AWS Parameters and Secrets Lambda Extension, the alternative to reading a secret with the SDK. */
export const secretsExtension = {
  cacheTtl: { value: 300_000, unit: 'ms a secret stays cached by default', source: SECRETS_IN_LAMBDA },
  port: { value: 2773, unit: 'TCP port of its HTTP endpoint on localhost (default)', source: SECRETS_IN_LAMBDA },
  /** It answers during the Invoke phase only, so a function using it fetches on its first invocation. */
  availablePhase: { value: 'INVOKE', unit: 'lifecycle phase in which the extension answers', source: SECRETS_EXTENSION_PHASE },
} satisfies Record<string, Fact<number | string>>;

const SNAPSTART = 'https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html';
const SNAPSTART_PYTHON_HOOKS = 'https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-python.html';

/** SnapStart: INIT runs once, when a version is published, and new environments resume from its snapshot. */
export const snapStart = {
  runtimes: { value: 'Java 11+, Python 3.12+, .NET 8+', unit: 'managed runtimes (not Node.js)', source: SNAPSTART },
  /** The after-restore hooks run within the restore phase's limit, or the invocation fails with SnapStartTimeoutException. */
  restoreLimit: { value: 10_000, unit: 'ms for the runtime to load and the after-restore hooks to finish', source: SNAPSTART_PYTHON_HOOKS },
  /** Not with provisioned concurrency, EFS, or ephemeral storage above 512 MB. */
  withProvisionedConcurrency: { value: false, unit: 'SnapStart with provisioned concurrency on the same version', source: SNAPSTART },
} satisfies Record<string, Fact<number | string | boolean>>;
