/**
 * DynamoDB's errors in the AWS JSON 1.0 shape (`__type`, `message`), so the real SDK raises the
 * class it raises in production (`ConditionalCheckFailedException`, `ProvisionedThroughputExceededException`…).
 *
 * The `__type` prefixes are the ones DynamoDB sends: service errors under
 * `com.amazonaws.dynamodb.v20120810#`, request validation under `com.amazon.coral.validate#`, and
 * protocol errors under `com.amazon.coral.service#`. The SDK keeps only the part after `#`.
 */
const SERVICE = 'com.amazonaws.dynamodb.v20120810#';
const VALIDATE = 'com.amazon.coral.validate#';
const CORAL = 'com.amazon.coral.service#';

export type DynamoDBErrorName =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'ConditionalCheckFailedException'
  | 'ProvisionedThroughputExceededException'
  | 'TransactionCanceledException'
  | 'IdempotentParameterMismatchException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'InternalServerError';

const prefixes: Record<DynamoDBErrorName, string> = {
  ValidationException: VALIDATE,
  ResourceNotFoundException: SERVICE,
  ResourceInUseException: SERVICE,
  ConditionalCheckFailedException: SERVICE,
  ProvisionedThroughputExceededException: SERVICE,
  TransactionCanceledException: SERVICE,
  IdempotentParameterMismatchException: SERVICE,
  SerializationException: CORAL,
  UnknownOperationException: CORAL,
  InternalServerError: SERVICE,
};

export class DynamoDBError extends Error {
  readonly type: DynamoDBErrorName;
  /** Extra members of the error body (`Item`, `CancellationReasons`). */
  readonly extra: Record<string, unknown>;

  constructor(type: DynamoDBErrorName, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = type;
    this.type = type;
    this.extra = extra;
  }

  get statusCode(): number {
    return this.type === 'InternalServerError' ? 500 : 400;
  }

  toBody(): Record<string, unknown> {
    return { __type: `${prefixes[this.type]}${this.type}`, message: this.message, ...this.extra };
  }
}

export const validation = (message: string): DynamoDBError => new DynamoDBError('ValidationException', message);

export const invalidParameter = (detail: string): DynamoDBError =>
  validation(`One or more parameter values were invalid: ${detail}`);

/** DescribeTable names the table; item operations do not. */
export const tableNotFound = (name?: string): DynamoDBError =>
  new DynamoDBError('ResourceNotFoundException', name === undefined ? 'Requested resource not found' : `Requested resource not found: Table: ${name} not found`);

export const conditionalCheckFailed = (item?: Record<string, unknown>): DynamoDBError =>
  new DynamoDBError('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : {});

/**
 * The provisioned-mode wording is the one in the DynamoDB developer guide's error-handling page; the
 * on-demand wording is what on-demand tables return (quoted in public reports such as
 * aws/aws-appsync-community#336; not in the fact sheet). `ThrottlingReasons` follows the
 * `ThrottlingReason` shape of the current DynamoDB API, so code can tell a hot key from a table limit.
 */
export const throttled = (
  mode: 'PROVISIONED' | 'PAY_PER_REQUEST',
  reasons: readonly { operation: string; limit: string }[] = [],
  resource = '',
): DynamoDBError =>
  new DynamoDBError(
    'ProvisionedThroughputExceededException',
    mode === 'PROVISIONED'
      ? 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'
      : 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
    reasons.length
      ? { ThrottlingReasons: [...new Set(reasons.map((r) => `Table${r.operation}${r.limit}`))].map((reason) => ({ reason, resource })) }
      : {},
  );
