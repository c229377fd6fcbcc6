/**
 * An in-memory AWS Secrets Manager answering the JSON 1.1 protocol (`X-Amz-Target:
 * secretsmanager.<Operation>`) for the part a function and a rotation use: GetSecretValue,
 * DescribeSecret, PutSecretValue and UpdateSecretVersionStage, with versions and their staging labels
 * (AWSCURRENT, AWSPENDING, AWSPREVIOUS) as the API reference describes them.
 *
 * It imports nothing from Node: the same instance serves a Web Worker through the SDK's
 * `requestHandler` (request-handler.ts). Time comes from the injected clock and version ids from a
 * counter, so a run is reproducible.
 *
 * Not modelled: KMS encryption, SecretBinary, resource policies, deletion and restore, replication,
 * tags, ListSecrets, the 100-version limit and the removal of versions with no label.
 */
import type { EmulatorAnswer } from '../net/emulated-http.ts';
import { SecretsManagerError, invalidParameter, secretNotFound, versionNotFound } from './errors.ts';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export const SUPPORTED_OPERATIONS = ['GetSecretValue', 'DescribeSecret', 'PutSecretValue', 'UpdateSecretVersionStage'] as const;
export type Operation = (typeof SUPPORTED_OPERATIONS)[number];

interface Version {
  id: string;
  secretString: string;
  createdAtMs: number;
  stages: string[];
}

interface Secret {
  name: string;
  arn: string;
  createdAtMs: number;
  /** In creation order: DescribeSecret lists them so. */
  versions: Map<string, Version>;
  rotationEnabled: boolean;
}

export interface SecretsManagerStats {
  requests: number;
  byOperation: Record<string, number>;
  /** Error answers by exception name. */
  errors: Record<string, number>;
}

export interface SecretsManagerEmulatorOptions {
  /** Milliseconds since the epoch of the run (virtual time in a run). */
  now: () => number;
  region?: string;
  accountId?: string;
}

type Input = Record<string, unknown>;

const isOperation = (name: string): name is Operation => (SUPPORTED_OPERATIONS as readonly string[]).includes(name);

/** The six characters Secrets Manager appends to a secret's name in its ARN, derived from the name so that runs repeat. */
function arnSuffix(name: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 6; i++) {
    out += letters[hash % letters.length];
    hash = Math.floor(hash / letters.length) + i * 7919;
  }
  return out;
}

export class SecretsManagerEmulator {
  readonly stats: SecretsManagerStats = { requests: 0, byOperation: {}, errors: {} };
  readonly #now: () => number;
  readonly #region: string;
  readonly #accountId: string;
  /** By name; a SecretId may also be the ARN, looked up in #byArn. */
  readonly #secrets = new Map<string, Secret>();
  readonly #byArn = new Map<string, Secret>();
  #nextVersion = 1;

  constructor(options: SecretsManagerEmulatorOptions) {
    this.#now = options.now;
    this.#region = options.region ?? 'us-east-1';
    this.#accountId = options.accountId ?? '123456789012';
  }

  /** Set-up, as CreateSecret with a SecretString would: one version, labelled AWSCURRENT. Returns the ARN. */
  createSecret(name: string, secretString: string, options: { rotationEnabled?: boolean } = {}): string {
    const arn = `arn:aws:secretsmanager:${this.#region}:${this.#accountId}:secret:${name}-${arnSuffix(name)}`;
    const secret: Secret = { name, arn, createdAtMs: this.#now(), versions: new Map(), rotationEnabled: options.rotationEnabled ?? false };
    this.#secrets.set(name, secret);
    this.#byArn.set(arn, secret);
    this.#addVersion(secret, this.newVersionId(), secretString, [AWSCURRENT]);
    return arn;
  }

  /** A version id in the UUID form Secrets Manager uses, from a counter (also the token a rotation starts with). */
  newVersionId(): string {
    return `00000000-0000-4000-8000-${String(this.#nextVersion++).padStart(12, '0')}`;
  }

  /** The answer to one request: the target header's operation and the JSON body's input. */
  respond(target: string | undefined, body: string): EmulatorAnswer {
    const name = target?.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
    this.stats.requests++;
    try {
      if (!isOperation(name)) throw new SecretsManagerError('InvalidRequestException', `connlab: the Secrets Manager emulator answers ${SUPPORTED_OPERATIONS.join(', ')} only, not ${name || 'this request'}`);
      this.stats.byOperation[name] = (this.stats.byOperation[name] ?? 0) + 1;
      let input: unknown;
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        throw new SecretsManagerError('InvalidRequestException', 'The request body is not valid JSON.');
      }
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalidParameter('The request body must be a JSON object.');
      const output = this.execute(name, input as Input);
      return { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(output) };
    } catch (error) {
      if (!(error instanceof SecretsManagerError)) throw error;
      this.stats.errors[error.type] = (this.stats.errors[error.type] ?? 0) + 1;
      return { statusCode: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(error.toBody()) };
    }
  }

  execute(operation: Operation, input: Input): Record<string, unknown> {
    switch (operation) {
      case 'GetSecretValue':
        return this.#getSecretValue(input);
      case 'DescribeSecret':
        return this.#describeSecret(input);
      case 'PutSecretValue':
        return this.#putSecretValue(input);
      case 'UpdateSecretVersionStage':
        return this.#updateSecretVersionStage(input);
    }
  }

  #secret(input: Input): Secret {
    const id = input.SecretId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 2048) throw invalidParameter('Invalid SecretId: it must be a name or an ARN of 1 to 2048 characters.');
    const secret = this.#secrets.get(id) ?? this.#byArn.get(id);
    if (!secret) throw secretNotFound();
    return secret;
  }

  #optionalString(input: Input, member: string): string | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > 256) throw invalidParameter(`Invalid ${member}: it must be a string of 1 to 256 characters.`);
    return value;
  }

  #withStage(secret: Secret, stage: string): Version | undefined {
    for (const version of secret.versions.values()) if (version.stages.includes(stage)) return version;
    return undefined;
  }

  /** The version a VersionId and/or VersionStage names; with neither, AWSCURRENT. */
  #version(secret: Secret, input: Input): Version {
    const versionId = this.#optionalString(input, 'VersionId');
    const stage = this.#optionalString(input, 'VersionStage');
    if (versionId !== undefined) {
      const version = secret.versions.get(versionId);
      // Both given: they must name the same version.
      if (!version || (stage !== undefined && !version.stages.includes(stage))) throw versionNotFound('VersionId', versionId);
      return version;
    }
    const label = stage ?? AWSCURRENT;
    const version = this.#withStage(secret, label);
    if (!version) throw versionNotFound('staging label', label);
    return version;
  }

  #getSecretValue(input: Input): Record<string, unknown> {
    const secret = this.#secret(input);
    const version = this.#version(secret, input);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      SecretString: version.secretString,
      VersionStages: [...version.stages],
      CreatedDate: version.createdAtMs / 1000,
    };
  }

  #describeSecret(input: Input): Record<string, unknown> {
    const secret = this.#secret(input);
    // fromEntries defines own properties: a version id `__proto__` stays a key, not a prototype.
    const versions = Object.fromEntries([...secret.versions.values()].filter((version) => version.stages.length > 0).map((version) => [version.id, [...version.stages]]));
    return { ARN: secret.arn, Name: secret.name, RotationEnabled: secret.rotationEnabled, CreatedDate: secret.createdAtMs / 1000, VersionIdsToStages: versions };
  }

  #putSecretValue(input: Input): Record<string, unknown> {
    const secret = this.#secret(input);
    const secretString = input.SecretString;
    if (typeof secretString !== 'string' || secretString.length === 0 || secretString.length > 65536) throw invalidParameter('You must provide a SecretString of 1 to 65,536 characters (SecretBinary is not modelled).');
    const token = this.#optionalString(input, 'ClientRequestToken') ?? this.newVersionId();
    const stagesInput = input.VersionStages ?? [AWSCURRENT];
    if (!Array.isArray(stagesInput) || stagesInput.length === 0 || stagesInput.length > 20 || !stagesInput.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 256)) throw invalidParameter('Invalid VersionStages: 1 to 20 labels of 1 to 256 characters.');
    const existing = secret.versions.get(token);
    if (existing) {
      // The same token again is an idempotent retry only with the same value.
      if (existing.secretString !== secretString) throw new SecretsManagerError('ResourceExistsException', `You can't modify an existing version, you can only create a new version.`);
    } else this.#addVersion(secret, token, secretString, stagesInput as string[]);
    const version = secret.versions.get(token)!;
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
  }

  #updateSecretVersionStage(input: Input): Record<string, unknown> {
    const secret = this.#secret(input);
    const stage = this.#optionalString(input, 'VersionStage');
    if (stage === undefined) throw invalidParameter('You must provide a VersionStage.');
    const moveTo = this.#optionalString(input, 'MoveToVersionId');
    const removeFrom = this.#optionalString(input, 'RemoveFromVersionId');
    const holder = this.#withStage(secret, stage);
    if (holder && holder.id !== removeFrom && moveTo !== undefined && holder.id !== moveTo) {
      throw invalidParameter(`The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`);
    }
    if (removeFrom !== undefined) {
      const from = secret.versions.get(removeFrom);
      if (!from) throw versionNotFound('VersionId', removeFrom);
      if (!from.stages.includes(stage)) throw invalidParameter(`The staging label ${stage} is not attached to version ${removeFrom}.`);
    }
    if (moveTo !== undefined && !secret.versions.has(moveTo)) throw versionNotFound('VersionId', moveTo);
    if (moveTo === undefined && stage === AWSCURRENT) throw invalidParameter('You can only remove AWSCURRENT by moving it to another version.');
    if (moveTo !== undefined) this.#label(secret, secret.versions.get(moveTo)!, stage);
    else if (removeFrom !== undefined) {
      const from = secret.versions.get(removeFrom)!;
      from.stages = from.stages.filter((s) => s !== stage);
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  #addVersion(secret: Secret, id: string, secretString: string, stages: readonly string[]): void {
    const version: Version = { id, secretString, createdAtMs: this.#now(), stages: [] };
    secret.versions.set(id, version);
    for (const stage of new Set(stages)) this.#label(secret, version, stage);
  }

  /** Attach `stage` to `version`, taking it from the version that had it; moving AWSCURRENT labels the version it left AWSPREVIOUS, as Secrets Manager does. */
  #label(secret: Secret, version: Version, stage: string): void {
    const holder = this.#withStage(secret, stage);
    if (holder === version) return;
    if (holder) holder.stages = holder.stages.filter((s) => s !== stage);
    version.stages.push(stage);
    if (stage === AWSCURRENT && holder) this.#label(secret, holder, AWSPREVIOUS);
  }
}
