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
const PG_AUTH_C = 'https://github.com/postgres/postgres/blob/REL_16_STABLE/src/backend/libpq/auth.c';
const PG15_PQCOMM_H = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/include/libpq/pqcomm.h';
const PG15_LIBPQ_H = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/include/libpq/libpq.h';
const PG15_PQCOMM_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/libpq/pqcomm.c';
const PG15_POSTMASTER_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/postmaster/postmaster.c';
const PG15_POSTGRES_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/tcop/postgres.c';
const PG15_AUTH_C = 'https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/libpq/auth.c';
const PG15_CONNECTION_SETTINGS = 'https://www.postgresql.org/docs/15/runtime-config-connection.html';

export interface InstanceClass {
  readonly id: string;
  readonly memoryGiB: number;
  readonly vcpus: number;
}

/** Nominal memory and vCPUs of the classes the sandboxes offer. */
export const instanceClasses: Sourced<readonly InstanceClass[]> = {
  value: [
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
  ],
  unit: 'GiB, vCPU',
  source: INSTANCE_TYPES,
  factSheet: 'C',
  note: 'Nominal memory. DBInstanceClassMemory is lower (memory reserved for the OS and RDS), so real max_connections values are lower than the formula gives here.',
};

export const maxConnectionsFormula = {
  divisor: { value: 9531392, unit: 'bytes per connection', source: MAX_CONNECTIONS, factSheet: 'C', note: 'LEAST({DBInstanceClassMemory/9531392}, 5000)' },
  cap: { value: 5000, unit: 'connections', source: MAX_CONNECTIONS, factSheet: 'C' },
} satisfies Record<string, Fact>;

export function findInstanceClass(id: string): InstanceClass | undefined {
  return instanceClasses.value.find((c) => c.id === id);
}

/** The RDS default: LEAST({DBInstanceClassMemory/9531392}, 5000), applied to the nominal memory. */
export function defaultMaxConnections(instance: InstanceClass): number {
  const bytes = instance.memoryGiB * 1024 ** 3;
  return Math.min(Math.floor(bytes / maxConnectionsFormula.divisor.value), maxConnectionsFormula.cap.value);
}

export const connectionLimits = {
  superuserReservedConnections: {
    value: 3,
    unit: 'connections',
    source: PG_CONNECTION_SETTINGS,
    factSheet: 'C',
    note: 'PostgreSQL default of superuser_reserved_connections. RDS also reserves rds.rds_superuser_reserved_connections (commonly 2, fact sheet C, MED); that reservation is not modelled.',
  },
  /** idle_session_timeout defaults to 0 (off) in PostgreSQL and in the RDS default parameter group. */
  idleSessionTimeoutDefault: { value: 0, unit: 'ms (0 = off)', source: PG_CLIENT_SETTINGS },
  /**
   * How long the server keeps the connection of a client that vanished without a FIN (a reclaimed
   * Lambda environment): until TCP keepalive gives up on it.
   */
  deadClientTimeout: {
    value: 600_000,
    unit: 'ms',
    source: 'assumption',
    calibrate:
      'tcp_keepalives_idle + tcp_keepalives_interval × tcp_keepalives_count of the instance (SHOW them; 0 means the OS defaults, 7200 + 75 × 9 s on Linux). Watch DatabaseConnections fall after killing a client host without closing its sockets.',
  },
} satisfies Record<string, Fact>;

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

/** The ErrorResponse PostgreSQL 15 sends for a frontend message it cannot take; `%d` is the type byte. */
export const protocolErrors = {
  invalidMessageType: {
    value: { S: 'FATAL', V: 'FATAL', C: '08P01', M: 'invalid frontend message type %d', F: 'postgres.c', R: 'SocketBackend' },
    unit: 'ErrorResponse',
    source: PG15_POSTGRES_C,
    note: 'Checked on the type byte, before the length word is read.',
  },
  expectedPassword: {
    value: { S: 'FATAL', V: 'FATAL', C: '08P01', M: 'expected password response, got message type %d', F: 'auth.c', R: 'recv_password_packet' },
    unit: 'ErrorResponse',
    source: PG15_AUTH_C,
    note: 'Raised as ERROR during authentication, where PostgreSQL turns every ERROR into FATAL.',
  },
  unsupportedProtocol: {
    value: { S: 'FATAL', V: 'FATAL', C: '0A000', M: 'unsupported frontend protocol %u.%u: server supports 3.0 to 3.0', F: 'postmaster.c', R: 'ProcessStartupPacket' },
    unit: 'ErrorResponse',
    source: PG15_POSTMASTER_C,
  },
  startupLayout: {
    value: { S: 'FATAL', V: 'FATAL', C: '08P01', M: 'invalid startup packet layout: expected terminator as last byte', F: 'postmaster.c', R: 'ProcessStartupPacket' },
    unit: 'ErrorResponse',
    source: PG15_POSTMASTER_C,
  },
  noUser: {
    value: { S: 'FATAL', V: 'FATAL', C: '28000', M: 'no PostgreSQL user name specified in startup packet', F: 'postmaster.c', R: 'ProcessStartupPacket' },
    unit: 'ErrorResponse',
    source: PG15_POSTMASTER_C,
  },
} satisfies Record<string, Fact<ErrorFields>>;

/**
 * The ErrorResponse fields real PostgreSQL 16+ sends (L, the source line, is left out: it changes
 * between minor versions). PostgreSQL 15 words the reserved-slot message differently; the fidelity
 * tests compare the other fields against a real 15 server.
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
  tooManyClients: {
    value: { S: 'FATAL', V: 'FATAL', C: '53300', M: 'sorry, too many clients already', F: 'proc.c', R: 'InitProcess' },
    unit: 'ErrorResponse',
    source: PG_PROC,
    factSheet: 'C',
    note: 'Sent before any authentication request.',
  },
  reservedForSuperuser: {
    value: { S: 'FATAL', V: 'FATAL', C: '53300', M: 'remaining connection slots are reserved for roles with the SUPERUSER attribute', F: 'postinit.c', R: 'InitPostgres' },
    unit: 'ErrorResponse',
    source: PG_POSTINIT,
    factSheet: 'C',
    note: 'Sent after AuthenticationOk. PostgreSQL 15 and older: "remaining connection slots are reserved for non-replication superuser connections".',
  },
  idleSessionTimeout: {
    value: { S: 'FATAL', V: 'FATAL', C: '57P05', M: 'terminating connection due to idle-session timeout', F: 'postgres.c', R: 'ProcessInterrupts' },
    unit: 'ErrorResponse',
    source: PG_POSTGRES_C,
  },
  passwordFailed: {
    value: { S: 'FATAL', V: 'FATAL', C: '28P01', M: 'password authentication failed for user "%s"', F: 'auth.c', R: 'auth_failed' },
    unit: 'ErrorResponse',
    source: PG_AUTH_C,
  },
  /** Not a PostgreSQL error: the simulator's own limit, worded so nobody mistakes it for one (SQLSTATE class 55, "object not in prerequisite state"). */
  sessionBusy: {
    value: { S: 'ERROR', V: 'ERROR', C: '55P03', M: 'connlab: the simulated server runs every connection on one PGlite session, and another connection held a transaction open for longer than the %s ms this connection may wait; real PostgreSQL would run both', F: 'connlab', R: 'session_lock' },
    unit: 'ErrorResponse',
    source: PG_ERRCODES,
    note: '55P03 is lock_not_available; the message names the simulator limitation.',
  },
} satisfies Record<string, Fact<ErrorFields>>;

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
