/**
 * Aurora DSQL's connection front, as a gate of the virtual PostgreSQL server (postgres/server.ts): the
 * same wire and backends over PGlite, with DSQL's own rules for who gets a session.
 *
 * - Admission: a token bucket per cluster, `burst` connections deep and refilled at `ratePerSecond`,
 *   on the virtual clock. An empty bucket refuses the start-up packet with 53400 "Unable to accept
 *   connection, rate exceeded." before any authentication.
 * - Authentication: IAM only. The password is a token from `@aws-sdk/dsql-signer`, checked like RDS
 *   Proxy checks rds-signer's (proxy/auth.ts): signature, Region, host, Action for the role, expiry,
 *   once, when the connection opens.
 * - Lifetime: a session is closed once it is `sessionLifetimeMs` old (after its open transaction).
 */
import type { ErrorFields } from '../../facts/postgres.ts';
import type { ConnectionGate } from '../postgres/server.ts';
import { verifyIamToken, type PresignedConnect } from '../proxy/auth.ts';

export interface DsqlEndpointOptions {
  /** The cluster endpoint tokens are signed for (a host name: DSQL tokens carry no port). */
  hostname: string;
  region: string;
  /** Access key id -> secret access key: what IAM knows about the callers' (fake) credentials. */
  credentials: Readonly<Record<string, string>>;
  /** Database roles that may log in (`admin` always exists). */
  roles: readonly string[];
  ratePerSecond: number;
  burst: number;
  sessionLifetimeMs: number;
  token: PresignedConnect;
  errors: { rateExceeded: ErrorFields; tooManyConnections: ErrorFields; authenticationFailed: ErrorFields; sessionExpired: ErrorFields };
  /** Current time on the virtual clock, ms since the Unix epoch (what tokens are dated in). */
  epochMs(): number;
}

export interface DsqlStats {
  /** Connections refused with 53400. */
  rateExceeded: number;
  /** Connections whose token was refused. */
  tokensRefused: number;
  /** Sessions closed at their lifetime. */
  sessionsExpired: number;
  /** The fewest connections the bucket held at an admission (how close the run came to 53400). */
  lowestBucket: number;
}

export class DsqlEndpoint implements ConnectionGate {
  readonly stats: DsqlStats;
  readonly tooManyConnections: ErrorFields;
  readonly sessionLifetimeMs: number;
  readonly #options: DsqlEndpointOptions;
  #bucket: number;
  #filledAt = 0;

  constructor(options: DsqlEndpointOptions) {
    this.#options = options;
    this.#bucket = options.burst;
    this.tooManyConnections = options.errors.tooManyConnections;
    this.sessionLifetimeMs = options.sessionLifetimeMs;
    this.stats = { rateExceeded: 0, tokensRefused: 0, sessionsExpired: 0, lowestBucket: options.burst };
  }

  admit(nowMs: number): ErrorFields | null {
    const { burst, ratePerSecond, errors } = this.#options;
    this.#bucket = Math.min(burst, this.#bucket + (Math.max(0, nowMs - this.#filledAt) * ratePerSecond) / 1000);
    this.#filledAt = Math.max(this.#filledAt, nowMs);
    if (this.#bucket < 1) {
      this.stats.rateExceeded++;
      return errors.rateExceeded;
    }
    this.#bucket -= 1;
    this.stats.lowestBucket = Math.min(this.stats.lowestBucket, Math.floor(this.#bucket));
    return null;
  }

  async authenticate(user: string, password: string): Promise<ErrorFields | null> {
    const o = this.#options;
    const verdict = o.roles.includes(user)
      ? await verifyIamToken(password, { endpoint: o.hostname, region: o.region, user, credentials: o.credentials, nowMs: o.epochMs(), kind: o.token })
      : { ok: false as const };
    if (verdict.ok) return null;
    this.stats.tokensRefused++;
    return o.errors.authenticationFailed;
  }

  sessionExpired(): ErrorFields {
    this.stats.sessionsExpired++;
    return this.#options.errors.sessionExpired;
  }
}
