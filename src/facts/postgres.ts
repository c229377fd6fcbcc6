/**
 * RDS for PostgreSQL as the virtual server models it: connection limits (fact sheet, section C),
 * the exact error fields, and the cost model for connection set-up and queries. Every latency here is
 * an assumption a reader can calibrate; the limits are sourced.
 */
import type { Fact, Sourced } from './fact.ts';

const MAX_CONNECTIONS = 'https://docs.aws.amazon.com/prescriptive-guidance/latest/tuning-postgresql-parameters/max-connections.html';
const INSTANCE_TYPES = 'https://aws.amazon.com/rds/instance-types/';
const PG_CONNECTION_SETTINGS = 'https://www.postgresql.org/docs/current/runtime-config-connection.html';
const PG_CLIENT_SETTINGS = 'https://www.postgresql.org/docs/current/runtime-config-client.html';
const PG_ERRCODES = 'https://www.postgresql.org/docs/current/errcodes-appendix.html';
const PG_POSTINIT = 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/utils/init/postinit.c';
const PG_PROC = 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/storage/lmgr/proc.c';
const PG_POSTGRES_C = 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/tcop/postgres.c';
const PG_USER_C = 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/commands/user.c';
const PG_AUTH_C = 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/libpq/auth.c';
const PG15_PQCOMM_H = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/include/libpq/pqcomm.h';
const PG15_LIBPQ_H = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/include/libpq/libpq.h';
const PG15_PQCOMM_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/libpq/pqcomm.c';
const PG15_POSTMASTER_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/postmaster/postmaster.c';
const PG15_POSTGRES_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/tcop/postgres.c';
const PG15_AUTH_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/libpq/auth.c';
const PG15_CONNECTION_SETTINGS = 'https://www.postgresql.org/docs/15/runtime-config-connection.html';
const PG15_POSTINIT = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/init/postinit.c';
const RDS_RESERVED_SLOTS = 'https://repost.aws/knowledge-center/rds-postgresql-error-connection-slots';
/** A user report quoting RDS's patched ≤ 15 message byte for byte (AWS documents the reservation, not the text). */
const RDS15_MESSAGE_SEEN = 'https://github.com/mlflow/mlflow/issues/3727';
const RDS_DEAD_CONNECTIONS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.DeadConnectionHandling.html';
const RDS_PG_VERSIONS = 'https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html';
const RDS_LIMITS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html';

export interface InstanceClass {
  readonly id: string;
  readonly memoryGiB: number;
  readonly vcpus: number;
}

const INSTANCE_CLASSES = [
  { id: 'db.t3.micro', memoryGiB: 1, vcpus: 2 },
  { id: 'db.t4g.micro', memoryGiB: 1, vcpus: 2 },
  { id: 'db.t3.small', memoryGiB: 2, vcpus: 2 },
  { id: 'db.t4g.small', memoryGiB: 2, vcpus: 2 },
  { id: 'db.t3.medium', memoryGiB: 4, vcpus: 2 },
  { id: 'db.t4g.medium', memoryGiB: 4, vcpus: 2 },
  { id: 'db.m6g.large', memoryGiB: 8, vcpus: 2 },
  { id: 'db.r6g.large', memoryGiB: 16, vcpus: 2 },
  { id: 'db.r6g.xlarge', memoryGiB: 32, vcpus: 4 },
  { id: 'db.r6g.2xlarge', memoryGiB: 64, vcpus: 8 },
] as const satisfies readonly InstanceClass[];

/** A provisioned class of this table (Aurora Serverless v2's db.serverless has no fixed memory, so it is not one). */
export type InstanceClassId = (typeof INSTANCE_CLASSES)[number]['id'];

/** Nominal memory and vCPUs of the classes the sandboxes and the wizard offer. */
export const instanceClasses: Sourced<readonly InstanceClass[]> = {
  value: INSTANCE_CLASSES,
  unit: 'GiB, vCPU',
  source: INSTANCE_TYPES,
  factSheet: 'C',
  note: `Nominal memory. DBInstanceClassMemory is lower (memory reserved for the OS and RDS processes, ${RDS_LIMITS}), so real max_connections values are lower than the formula gives here: a sandbox takes SHOW max_connections of your instance as its maxConnections parameter.`,
};

export const maxConnectionsFormula = {
  divisor: { value: 9531392, unit: 'bytes per connection', source: MAX_CONNECTIONS, factSheet: 'C', note: 'LEAST({DBInstanceClassMemory/9531392}, 5000)' },
  cap: { value: 5000, unit: 'connections', source: MAX_CONNECTIONS, factSheet: 'C' },
} satisfies Record<string, Fact>;

export function findInstanceClass(id: string): InstanceClass | undefined {
  return instanceClasses.value.find((c) => c.id === id);
}

/**
 * The nominal figure: LEAST({DBInstanceClassMemory/9531392}, 5000) applied to the class's nominal
 * memory. DBInstanceClassMemory is lower (RDS keeps memory for the OS and its own processes), so
 * `SHOW max_connections` on a real instance returns less; a sandbox takes the real figure as its
 * `maxConnections` parameter.
 */
export function nominalMaxConnections(instance: InstanceClass): number {
  const bytes = instance.memoryGiB * 1024 ** 3;
  return Math.min(Math.floor(bytes / maxConnectionsFormula.divisor.value), maxConnectionsFormula.cap.value);
}

export const connectionLimits = {
  superuserReservedConnections: {
    value: 3,
    unit: 'connections',
    source: PG_CONNECTION_SETTINGS,
    factSheet: 'C',
    note: 'superuser_reserved_connections, PostgreSQL\'s default and RDS\'s (knowledge center rds-postgresql-error-connection-slots).',
  },
  rdsSuperuserReservedConnections: {
    value: 2,
    unit: 'connections',
    source: RDS_RESERVED_SLOTS,
    factSheet: 'C, I',
    note: 'rds.rds_superuser_reserved_connections: RDS keeps these for rds_superuser on top of the superuser slots, so an ordinary role gets max_connections − 3 − 2.',
  },
  /** idle_session_timeout defaults to 0 (off) in PostgreSQL and in the RDS default parameter group. */
  idleSessionTimeoutDefault: { value: 0, unit: 'ms (0 = off)', source: PG_CLIENT_SETTINGS },
} satisfies Record<string, Fact>;

/** Slots an ordinary (non-superuser) role cannot use on RDS: superuser_reserved_connections + rds.rds_superuser_reserved_connections. */
export const reservedForOrdinaryRoles = (): number => connectionLimits.superuserReservedConnections.value + connectionLimits.rdsSuperuserReservedConnections.value;

/**
 * What PostgreSQL 15 accepts from a client, checked on the length word before it reads a body
 * (tests/engine/postgres/fuzz.test.ts probes each bound against a real server). A length outside
 * them closes the connection without a reply: PostgreSQL only logs the reason.
 */
export const protocolLimits = {
  /** The startup packet's length word counts itself; PostgreSQL compares the rest with this. */
  maxStartupPacketLength: {
    value: 10_000,
    unit: 'bytes after the length word',
    source: PG15_PQCOMM_H,
    note: 'MAX_STARTUP_PACKET_LENGTH. ProcessStartupPacket (postmaster.c) also refuses fewer than 4 bytes (no protocol code) and logs "invalid length of startup packet".',
  },
  /** Terminate, Close, Describe, Execute, Flush, Sync, CopyDone, CopyFail: the length word included. */
  smallMessageLimit: { value: 10_000, unit: 'bytes', source: PG15_LIBPQ_H, note: 'PQ_SMALL_MESSAGE_LIMIT, chosen per message type in SocketBackend (postgres.c).' },
  /** Query, FunctionCall, Bind, Parse, CopyData. */
  largeMessageLimit: { value: 0x3fff_fffe, unit: 'bytes', source: PG15_LIBPQ_H, note: 'PQ_LARGE_MESSAGE_LIMIT = MaxAllocSize - 1.' },
  /** Every message length counts its own 4 bytes. */
  minMessageLength: { value: 4, unit: 'bytes', source: PG15_PQCOMM_C, note: 'pq_getmessage logs "invalid message length" below it or above the limit of the message type.' },
  /** The PasswordMessage during authentication. */
  maxAuthTokenLength: { value: 65_535, unit: 'bytes', source: PG15_AUTH_C, note: 'PG_MAX_AUTH_TOKEN_LENGTH, the limit recv_password_packet passes to pq_getmessage.' },
  /** A client that has not logged in this long after connecting is disconnected without a reply. */
  authenticationTimeout: { value: 60_000, unit: 'ms', source: PG15_CONNECTION_SETTINGS, note: 'authentication_timeout, default 1 min; it also covers a startup packet that never arrives (postmaster.c).' },
} satisfies Record<string, Fact>;

/** An ErrorResponse's fields: V repeats the severity S, untranslated; a service in front of PostgreSQL (DSQL) names no source file or routine. */
export const errorFields = (severity: 'FATAL' | 'ERROR', C: string, M: string, F = '', R = ''): ErrorFields => ({ S: severity, V: severity, C, M, F, R });

/** A PostgreSQL ErrorResponse as a fact. */
function errorResponse(severity: 'FATAL' | 'ERROR', C: string, M: string, F: string, R: string, source: string, more: { factSheet?: string; note?: string } = {}): Sourced<ErrorFields> {
  return { value: errorFields(severity, C, M, F, R), unit: 'ErrorResponse', source, ...more };
}

/** The ErrorResponse PostgreSQL 15 sends for a frontend message it cannot take; `%d` is the type byte. */
export const protocolErrors = {
  invalidMessageType: errorResponse('FATAL', '08P01', 'invalid frontend message type %d', 'postgres.c', 'SocketBackend', PG15_POSTGRES_C, {
    note: 'Checked on the type byte, before the length word is read.',
  }),
  expectedPassword: errorResponse('FATAL', '08P01', 'expected password response, got message type %d', 'auth.c', 'recv_password_packet', PG15_AUTH_C, {
    note: 'Raised as ERROR during authentication, where PostgreSQL turns every ERROR into FATAL.',
  }),
  unsupportedProtocol: errorResponse('FATAL', '0A000', 'unsupported frontend protocol %u.%u: server supports 3.0 to 3.0', 'postmaster.c', 'ProcessStartupPacket', PG15_POSTMASTER_C),
  startupLayout: errorResponse('FATAL', '08P01', 'invalid startup packet layout: expected terminator as last byte', 'postmaster.c', 'ProcessStartupPacket', PG15_POSTMASTER_C),
  noUser: errorResponse('FATAL', '28000', 'no PostgreSQL user name specified in startup packet', 'postmaster.c', 'ProcessStartupPacket', PG15_POSTMASTER_C),
} satisfies Record<string, Fact<ErrorFields>>;

/**
 * RDS's default TCP keepalive settings for PostgreSQL ("Dead connection handling in PostgreSQL",
 * RDS user guide; the Aurora user guide's page gives the same values). They replace the Linux
 * defaults (7200 + 75 × 9 s) that a server with tcp_keepalives_* = 0 would use.
 */
export const keepaliveDefaults = {
  idle: { value: 300_000, unit: 'ms (tcp_keepalives_idle 300 s)', source: RDS_DEAD_CONNECTIONS, factSheet: 'I', note: 'Inactivity before the first probe.' },
  interval: { value: 30_000, unit: 'ms (tcp_keepalives_interval 30 s)', source: RDS_DEAD_CONNECTIONS, factSheet: 'I', note: 'Time between unanswered probes.' },
  count: { value: 2, unit: 'probes (tcp_keepalives_count)', source: RDS_DEAD_CONNECTIONS, factSheet: 'I', note: 'Lost probes before the connection is declared dead.' },
  userTimeout: { value: 0, unit: 'ms (tcp_user_timeout, 0 = the OS default)', source: RDS_DEAD_CONNECTIONS, factSheet: 'I', note: 'Bounds unacknowledged data; the model has no unacknowledged data to a vanished client other than probes.' },
  clientConnectionCheckInterval: { value: 0, unit: 'ms (client_connection_check_interval, 0 = off)', source: RDS_DEAD_CONNECTIONS, factSheet: 'I', note: 'Checks the client during long queries; not modelled (queries here last milliseconds).' },
} satisfies Record<string, Fact>;

export interface KeepaliveSettings {
  readonly idleMs: number;
  readonly intervalMs: number;
  readonly count: number;
}

export const rdsKeepalives: KeepaliveSettings = { idleMs: keepaliveDefaults.idle.value, intervalMs: keepaliveDefaults.interval.value, count: keepaliveDefaults.count.value };

/**
 * When the server gives up on a client that answers nothing (a reclaimed environment's microVM is
 * gone): the first probe after `idle` of silence, then `count` probes `interval` apart, all lost.
 * RDS's defaults: 300 + 30 × 2 = 360 s after the connection's last traffic.
 */
export const deadClientAfterMs = (k: KeepaliveSettings): number => k.idleMs + k.intervalMs * k.count;

/**
 * The ErrorResponse fields real PostgreSQL sends (L, the source line, is left out: it changes
 * between minor versions). The reserved-slot message depends on the engine version and on RDS's
 * patch: see `reservedSlotErrors` and `reservedSlotError()`.
 */
export interface ErrorFields {
  readonly S: string;
  readonly V: string;
  readonly C: string;
  readonly M: string;
  readonly F: string;
  readonly R: string;
}

export const postgresErrors = {
  /** ALTER ROLE/USER on a role that does not exist. */
  roleDoesNotExist: errorResponse('ERROR', '42704', 'role "%s" does not exist', 'user.c', 'AlterRole', PG_USER_C),
  /** A role without superuser changing another role's password (PostgreSQL 16 adds a DETAIL naming CREATEROLE and ADMIN, not sent here). */
  alterRoleDenied: errorResponse('ERROR', '42501', 'permission denied to alter role', 'user.c', 'AlterRole', PG_USER_C),
  tooManyClients: errorResponse('FATAL', '53300', 'sorry, too many clients already', 'proc.c', 'InitProcess', PG_PROC, { factSheet: 'C', note: 'Sent before any authentication request.' }),
  idleSessionTimeout: errorResponse('FATAL', '57P05', 'terminating connection due to idle-session timeout', 'postgres.c', 'ProcessInterrupts', PG_POSTGRES_C),
  passwordFailed: errorResponse('FATAL', '28P01', 'password authentication failed for user "%s"', 'auth.c', 'auth_failed', PG_AUTH_C),
  /** Not a PostgreSQL error: the simulator's own limit, worded so nobody mistakes it for one (SQLSTATE class 55, "object not in prerequisite state"). */
  sessionBusy: errorResponse(
    'ERROR',
    '55P03',
    'connlab: the simulated server runs every connection on one PGlite session, and another connection held a transaction open for longer than the %s ms this connection may wait; real PostgreSQL would run both',
    'connlab',
    'session_lock',
    PG_ERRCODES,
    { note: '55P03 is lock_not_available; the message names the simulator limitation.' },
  ),
} satisfies Record<string, Fact<ErrorFields>>;

/**
 * The engine versions a sandbox offers. RDS creates "an available version, usually the latest" when
 * none is given (RDS for PostgreSQL release notes); the default here is the newest major the
 * sandboxes offer.
 */
const ENGINE_VERSIONS = ['15', '16', '17', '18'] as const;
export type EngineVersion = (typeof ENGINE_VERSIONS)[number];

export const engineVersions = {
  choices: { value: ENGINE_VERSIONS, unit: 'major version', source: RDS_PG_VERSIONS, note: 'Versions ≤ 15 share the 15 wording; 16 and later share one wording.' },
  default: {
    value: '18' as EngineVersion,
    unit: 'major version',
    source: 'assumption',
    calibrate:
      'RDS documents its default as "usually the latest" available version, not a number: run `aws rds describe-db-engine-versions --default-only --engine postgres` in your Region. The messages this engine sends are the same for every version from 16 on.',
  },
} satisfies Record<string, Fact<string | readonly string[]>>;

export const isEngineVersion = (value: string): value is EngineVersion => (engineVersions.choices.value as readonly string[]).includes(value);

/** The reserved-slot error (53300, after AuthenticationOk) as each server words it. */
export const reservedSlotErrors = {
  /** RDS for PostgreSQL ≤ 15 patches the message to name its own reservation. */
  rds15: errorResponse('FATAL', '53300', 'remaining connection slots are reserved for non-replication superuser and rds_superuser connections', 'postinit.c', 'InitPostgres', RDS15_MESSAGE_SEEN, {
    factSheet: 'I',
    note: 'The text as RDS sends it, quoted from user reports; AWS documents the reservation (max_connections − 3 − 2) in knowledge center rds-postgresql-error-connection-slots but not the wording. Another report quotes "… non-replication superuser, rds_reserved, and rds_superuser connections" for an unstated version (Lab-Lab-Lab/CPR-Music-Backend#42): not modelled.',
  }),
  /** Community PostgreSQL ≤ 15: what a real PostgreSQL 15 sends (the fidelity tests compare it byte for byte). */
  community15: errorResponse('FATAL', '53300', 'remaining connection slots are reserved for non-replication superuser connections', 'postinit.c', 'InitPostgres', PG15_POSTINIT, { factSheet: 'C' }),
  /**
   * Community PostgreSQL 16+. RDS's own 16+ wording was not found in any public source, so the
   * engine sends the community text for 16 and later (the sandboxes say so in notModelled).
   */
  community16: errorResponse('FATAL', '53300', 'remaining connection slots are reserved for roles with the SUPERUSER attribute', 'postinit.c', 'InitPostgres', PG_POSTINIT, {
    factSheet: 'C',
    note: 'Community 16+ sends "… roles with privileges of the \"pg_use_reserved_connections\" role" for the reserved_connections band; RDS\'s band is rds.rds_superuser_reserved_connections, and this engine sends the SUPERUSER text for the whole reservation.',
  }),
} satisfies Record<string, Fact<ErrorFields>>;

/** What an RDS for PostgreSQL instance of this version sends when an ordinary role finds only reserved slots. */
export const reservedSlotError = (version: EngineVersion): ErrorFields => (Number(version) <= 15 ? reservedSlotErrors.rds15.value : reservedSlotErrors.community16.value);

/** The cost model. None of these is published by AWS; each says how to measure it. */
export const serverCosts = {
  networkOneWay: {
    value: 0.25,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'Half the round trip of `SELECT 1` from a Lambda function in the same VPC and Availability Zone as the instance (client-side timing, minus server time from pg_stat_statements).',
  },
  backendStart: {
    value: 2,
    unit: 'ms of CPU',
    source: 'assumption',
    calibrate: 'Fork and backend initialisation: time `psql -c "select 1"` with trust authentication on the instance class, minus the query time.',
  },
  authentication: {
    value: 3,
    unit: 'ms of CPU',
    source: 'assumption',
    calibrate: 'SCRAM-SHA-256 verification (4,096 PBKDF2 iterations) on the instance: compare connection times with scram-sha-256 and with trust.',
  },
  tlsHandshake: {
    value: 4,
    unit: 'ms',
    source: 'assumption',
    calibrate: 'The TLS handshake on connection set-up (clients of RDS usually connect with TLS; the simulated wire stays plaintext): compare sslmode=require and sslmode=disable connection times from the function.',
  },
  rejection: {
    value: 0.5,
    unit: 'ms of CPU',
    source: 'assumption',
    calibrate: 'A refused connection still forks a backend that sends the error and exits: time a connection attempt against a full server.',
  },
  queryService: {
    value: 0.4,
    unit: 'ms of CPU (mean; drawn uniformly within ±50 %)',
    source: 'assumption',
    calibrate: 'A primary-key lookup on a cached table: mean_exec_time of the statement in pg_stat_statements on the instance.',
  },
} satisfies Record<string, Fact>;
