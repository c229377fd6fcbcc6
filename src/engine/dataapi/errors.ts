/**
 * Data API errors as the service sends them (restJson1): the status code of the error shape in the
 * SDK's model, the `x-amzn-ErrorType` header, and a JSON body with `message`.
 */
export const ERROR_STATUS = {
  BadRequestException: 400,
  DatabaseErrorException: 400,
  StatementTimeoutException: 400,
  TransactionNotFoundException: 404,
  HttpEndpointNotEnabledException: 400,
  ForbiddenException: 403,
  NotFoundException: 404,
  InternalServerErrorException: 500,
} as const;

export type DataApiErrorName = keyof typeof ERROR_STATUS;

export class DataApiError extends Error {
  readonly type: DataApiErrorName;
  readonly extra: Readonly<Record<string, unknown>>;
  constructor(type: DataApiErrorName, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = type;
    this.type = type;
    this.extra = extra;
  }

  get statusCode(): number {
    return ERROR_STATUS[this.type];
  }

  toBody(): string {
    return JSON.stringify({ message: this.message, ...this.extra });
  }
}

interface PgErrorLike {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  severity?: string;
}

/**
 * PostgreSQL's error as the service's JDBC driver renders it (PgJDBC's ServerErrorMessage): the
 * severity and message, then Detail, Hint and Position lines, then `; SQLState: <code>`.
 */
export function fromPostgres(error: PgErrorLike): DataApiError {
  const lines = [`${error.severity === 'FATAL' ? 'FATAL' : 'ERROR'}: ${error.message}`];
  if (error.detail) lines.push(`  Detail: ${error.detail}`);
  if (error.hint) lines.push(`  Hint: ${error.hint}`);
  if (error.position) lines.push(`  Position: ${error.position}`);
  return new DataApiError('BadRequestException', `${lines.join('\n')}; SQLState: ${error.code ?? 'XX000'}`);
}

export const UNKNOWN_DATABASE = '3D000';
export const QUERY_CANCELED = '57014';

/**
 * A `database` the cluster does not have: the service reports PostgreSQL's 3D000 as a
 * DatabaseErrorException, rendered as `ERROR: database "x" does not exist; SQLState: 3D000`
 * (quoted from a real response in https://github.com/aws/aws-cli/issues/8577).
 */
export function unknownDatabase(error: { message: string }): DataApiError {
  return new DataApiError('DatabaseErrorException', `ERROR: ${error.message}; SQLState: ${UNKNOWN_DATABASE}`);
}
