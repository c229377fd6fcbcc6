/**
 * A stand-in for RDS IAM database authentication (or Aurora DSQL's) in front of a local PostgreSQL or PgBouncer.
 *
 * It speaks the PostgreSQL wire protocol up to authentication: requires TLS (as RDS does for IAM),
 * asks for a cleartext password, and accepts only a SigV4-presigned `rds-db` connect token for
 * this host, port and user, signed with the test credentials and not expired. Then it hands the
 * connection to the upstream, which trusts that user, and relays bytes both ways. The generated
 * handlers connect to it unchanged, so their per-connection token code really runs.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface FrontDoorOptions {
  upstreamPort: number;
  /** The source address of upstream connections: the one address the upstream trusts for the user. */
  upstreamLocalAddress?: string;
  tls: { certFile: string; keyFile: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** Clock for expiry checks; tokens are valid for 900 s. */
  now?: () => Date;
  /**
   * 'rds' (the default) checks an `rds-db` connect token for host:port and user; 'dsql' checks an Aurora DSQL
   * `DbConnect` token for the host alone (DSQL's tokens name neither port nor user).
   */
  kind?: 'rds' | 'dsql';
}

export interface FrontDoor {
  port: number;
  /** Tokens accepted and refused so far, with the reason for each refusal. */
  accepted: number;
  refusals: string[];
  /** Aurora DSQL's connection rate limit: this many next connections are refused with 53400 before any token check. */
  refuseNextForRate: number;
  /** Connections refused that way so far. */
  rateRefusals: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;

export async function startIamFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const key = readFileSync(options.tls.keyFile);
  const cert = readFileSync(options.tls.certFile);
  const state = { accepted: 0, refusals: [] as string[], refuseNextForRate: 0, rateRefusals: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((raw) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    handle(raw).catch(() => raw.destroy());
  });
  let port = 0;

  async function handle(raw: Socket): Promise<void> {
    const first = new Reader(raw);
    const length = (await first.take(4)).readInt32BE(0);
    const body = await first.take(length - 4);
    if (body.readInt32BE(0) !== SSL_REQUEST) {
      raw.end(errorResponse('28000', 'IAM authentication is allowed only with SSL connections.'));
      return;
    }
    first.detach(false);
    raw.write('S');
    const tls = new TLSSocket(raw, { isServer: true, key, cert });
    sockets.add(tls);
    const reader = new Reader(tls);
    const startupLength = (await reader.take(4)).readInt32BE(0);
    const startupBody = await reader.take(startupLength - 4);
    const params = parseStartup(startupBody.subarray(4));
    if (state.refuseNextForRate > 0) {
      state.refuseNextForRate -= 1;
      state.rateRefusals += 1;
      // Aurora DSQL's answer past its connection rate (src/facts/aurora-dsql.ts).
      tls.end(errorResponse('53400', 'Unable to accept connection, rate exceeded.'));
      return;
    }
    tls.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
    const type = (await reader.take(1)).toString('latin1');
    const passwordLength = (await reader.take(4)).readInt32BE(0);
    const token = (await reader.take(passwordLength - 4)).toString('utf8').replace(/\0$/, '');
    const refusal = type !== 'p' ? 'expected a password message' : options.kind === 'dsql' ? verifyDsqlToken(token, '127.0.0.1', options) : verifyToken(token, { host: '127.0.0.1', port, user: params.user ?? '' }, options);
    if (refusal) {
      state.refusals.push(refusal);
      // RDS answers a bad token with this FATAL message.
      tls.end(errorResponse('28P01', `PAM authentication failed for user "${params.user}"`));
      return;
    }
    state.accepted += 1;
    const upstream = connect({ port: options.upstreamPort, host: '127.0.0.1', localAddress: options.upstreamLocalAddress });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => tls.destroy());
    tls.on('error', () => upstream.destroy());
    upstream.write(Buffer.concat([Buffer.from(int32(startupLength)), startupBody]));
    const rest = reader.detach(true);
    if (rest.length) upstream.write(rest);
    tls.pipe(upstream);
    upstream.pipe(tls);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get accepted() {
      return state.accepted;
    },
    get refusals() {
      return state.refusals;
    },
    get refuseNextForRate() {
      return state.refuseNextForRate;
    },
    set refuseNextForRate(count: number) {
      state.refuseNextForRate = count;
    },
    get rateRefusals() {
      return state.rateRefusals;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  } as FrontDoor;
}

/** Checks a token as RDS would: action, user, host, expiry, credential scope and SigV4 signature. */
export function verifyToken(token: string, expected: { host: string; port: number; user: string }, options: FrontDoorOptions): string | undefined {
  let url: URL;
  try {
    url = new URL(`https://${token}`);
  } catch {
    return 'not a presigned URL';
  }
  const q = url.searchParams;
  if (url.host !== `${expected.host}:${expected.port}`) return `signed for ${url.host}, not ${expected.host}:${expected.port}`;
  if (q.get('Action') !== 'connect') return 'Action is not connect';
  if (q.get('DBUser') !== expected.user) return `DBUser is ${q.get('DBUser')}, not ${expected.user}`;
  return verifySignature(url, 'rds-db', options);
}

/** Checks an Aurora DSQL token as the cluster would: DbConnect (a custom role), host, expiry, scope and signature. */
export function verifyDsqlToken(token: string, host: string, options: FrontDoorOptions): string | undefined {
  let url: URL;
  try {
    url = new URL(`https://${token}`);
  } catch {
    return 'not a presigned URL';
  }
  if (url.host !== host) return `signed for ${url.host}, not ${host}`;
  if (url.searchParams.get('Action') !== 'DbConnect') return `Action is ${url.searchParams.get('Action')}, not DbConnect`;
  return verifySignature(url, 'dsql', options);
}

/** The SigV4 query signature of a presigned GET to `/`, for one service, with the test credentials. */
function verifySignature(url: URL, expectedService: string, options: FrontDoorOptions): string | undefined {
  const q = url.searchParams;
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'not SigV4';
  const credential = (q.get('X-Amz-Credential') ?? '').split('/');
  const [accessKey, day, region, service, terminator] = credential;
  if (accessKey !== options.credentials.accessKeyId) return 'unknown access key';
  if (region !== options.region || service !== expectedService || terminator !== 'aws4_request') return `bad scope ${credential.slice(1).join('/')}`;
  const amzDate = q.get('X-Amz-Date') ?? '';
  const expires = Number(q.get('X-Amz-Expires'));
  if (expires !== 900) return `X-Amz-Expires is ${expires}, not 900`;
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  const now = (options.now ?? (() => new Date()))().getTime();
  if (now > signedAt + expires * 1000) return 'token expired';
  const signature = q.get('X-Amz-Signature');
  const pairs = [...q.entries()].filter(([name]) => name !== 'X-Amz-Signature').map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalQuery = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const hmac = (k: Buffer | string, data: string) => createHmac('sha256', k).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, day ?? ''), region ?? ''), service ?? ''), 'aws4_request');
  const emptyHash = createHash('sha256').update('').digest('hex');
  for (const payload of [emptyHash, 'UNSIGNED-PAYLOAD']) {
    const canonical = ['GET', '/', canonicalQuery, `host:${url.host}`, '', 'host', payload].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    if (createHmac('sha256', signingKey).update(toSign).digest('hex') === signature) return undefined;
  }
  return 'signature does not match';
}

const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function parseStartup(buffer: Buffer): Record<string, string> {
  const parts = buffer.toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params[parts[i]!] = parts[i + 1]!;
  return params;
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  return Buffer.concat([Buffer.from('E'), int32(fields.length + 4), fields]);
}

/** Reads exact byte counts from a socket, then hands back what is left over. */
class Reader {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private closed = false;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.waiting?.();
  };
  private readonly socket: Socket;
  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.once('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }
  async take(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.closed) throw new Error('closed');
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
  detach(pause = true): Buffer {
    this.socket.off('data', this.onData);
    if (pause) this.socket.pause();
    return this.buffer;
  }
}
