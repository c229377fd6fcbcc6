/**
 * The RDS Data API emulator over the virtual PostgreSQL (or any `pg` pool): ExecuteStatement,
 * BatchExecuteStatement, Begin/Commit/RollbackTransaction, reached through the real
 * `@aws-sdk/client-rds-data` (`dataApiRequestHandler`) or over HTTP (`http-server.node.ts`, Node only).
 *
 * Modelled: `:name` parameters with typed Fields and typeHint (bound as typed values, so a string
 * without a hint is a varchar, as on AWS); records, columnMetadata, formatRecordsAs JSON,
 * numberOfRecordsUpdated, generatedFields; transaction ids with the 3-minute idle timeout and the
 * 24-hour cap; the 1 MiB response and 64 KB row limits; the 45 s call timeout (PostgreSQL cancels
 * the late statement through the session's statement_timeout) and continueAfterTimeout; an unknown
 * database as DatabaseErrorException (3D000); the service's own connections, one bounded budget per
 * cluster shared by every login and database; a per-call latency (an assumption).
 *
 * Not modelled: the deprecated ExecuteSql, array parameters and arrayValue results (rejected or
 * returned as strings), resultSetOptions, column nullability and precision in columnMetadata, Aurora
 * MySQL, Serverless v1's request quotas, IAM authorization of the caller.
 */
export { DataApiEmulator, DATA_API_OPERATIONS, OPERATION_PATHS, RESPONSE_TOO_LARGE, type DataApiCluster, type DataApiOperation, type DataApiOptions, type DataApiStats, type PgPoolLike } from './emulator.ts';
export { dataApiRequestHandler } from './request-handler.ts';
export { DataApiError, type DataApiErrorName } from './errors.ts';
export { toPositional, type Field, type SqlParameter, type TypeHint } from './sql.ts';
