/**
 * The Secrets Manager emulator through the real `@aws-sdk/client-secrets-manager`, in process, with the
 * requestHandler a Web Worker uses: what a sandbox handler sees (the SDK's own exception classes, the
 * response members, dates as Date objects) is what these tests see.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerEmulator } from '../../../src/engine/secretsmanager/emulator.ts';
import { secretsManagerRequestHandler } from '../../../src/engine/secretsmanager/request-handler.ts';

const EPOCH = Date.UTC(2026, 0, 1);
let now = EPOCH;
let emulator: SecretsManagerEmulator;
let client: SecretsManagerClient;
let arn: string;

beforeEach(() => {
  now = EPOCH;
  emulator = new SecretsManagerEmulator({ now: () => now });
  arn = emulator.createSecret('prod/orders/app', JSON.stringify({ username: 'app', password: 'one' }));
  client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox' },
    requestHandler: secretsManagerRequestHandler(emulator),
    maxAttempts: 1,
  });
});

const password = (output: { SecretString?: string }) => (JSON.parse(output.SecretString!) as { password: string }).password;
const rejection = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as Error & { $metadata?: { httpStatusCode?: number } });

describe('Secrets Manager emulator: GetSecretValue through the SDK', () => {
  it('answers AWSCURRENT by default, by name or by ARN, with the response members AWS documents', async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'prod/orders/app' }));
    expect(byName).toMatchObject({ ARN: arn, Name: 'prod/orders/app', VersionStages: ['AWSCURRENT'] });
    expect(byName.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byName.CreatedDate).toEqual(new Date(EPOCH));
    expect(password(byName)).toBe('one');
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/orders\/app-[A-Za-z0-9]{6}$/);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(byArn.VersionId).toBe(byName.VersionId);
  });

  it('reads a version by VersionStage or VersionId, and refuses a pair that names different versions', async () => {
    const first = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    now += 1000;
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: 'token-0000000000000000000000000002', SecretString: JSON.stringify({ username: 'app', password: 'two' }), VersionStages: ['AWSPENDING'] }));
    const pending = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPENDING' }));
    expect(pending).toMatchObject({ VersionId: 'token-0000000000000000000000000002', VersionStages: ['AWSPENDING'], CreatedDate: new Date(EPOCH + 1000) });
    expect(password(pending)).toBe('two');
    expect(password(await client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: first.VersionId })))).toBe('one');
    expect(password(await client.send(new GetSecretValueCommand({ SecretId: arn })))).toBe('one');
    const mismatch = await rejection(client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: first.VersionId, VersionStage: 'AWSPENDING' })));
    expect(mismatch).toBeInstanceOf(ResourceNotFoundException);
    expect(mismatch?.message).toBe(`Secrets Manager can't find the specified secret value for VersionId: ${first.VersionId}`);
  });

  it('names a missing staging label or version as Secrets Manager does', async () => {
    const stage = await rejection(client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPENDING' })));
    expect(stage).toBeInstanceOf(ResourceNotFoundException);
    expect(stage?.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSPENDING");
    expect(stage?.$metadata?.httpStatusCode).toBe(400);
    const version = await rejection(client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: 'no-such-version' })));
    expect(version?.message).toBe("Secrets Manager can't find the specified secret value for VersionId: no-such-version");
  });

  it('answers ResourceNotFoundException for a secret that does not exist, hostile names included', async () => {
    for (const id of ['prod/orders/other', '__proto__', 'constructor', 'toString', 'hasOwnProperty', `${arn}x`]) {
      const error = await rejection(client.send(new GetSecretValueCommand({ SecretId: id })));
      expect(error, id).toBeInstanceOf(ResourceNotFoundException);
      expect(error?.message, id).toBe("Secrets Manager can't find the specified secret.");
    }
    expect(emulator.stats.errors).toEqual({ ResourceNotFoundException: 6 });
  });

  it('a version or staging label named __proto__ is a name like any other', async () => {
    const error = await rejection(client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: '__proto__' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: '__proto__', SecretString: 'p', VersionStages: ['constructor'] }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'constructor' }))).SecretString).toBe('p');
    expect(await client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: '__proto__' }))).toMatchObject({ VersionId: '__proto__', VersionStages: ['constructor'] });
    // On the wire, as the emulator answers it: the SDK's own map deserializer leaves a `__proto__` key out.
    const described = JSON.parse(emulator.respond('secretsmanager.DescribeSecret', JSON.stringify({ SecretId: arn })).body) as { VersionIdsToStages: Record<string, string[]> };
    expect(Object.hasOwn(described.VersionIdsToStages, '__proto__') && described.VersionIdsToStages['__proto__']).toEqual(['constructor']);
  });

  it('refuses an empty SecretId with InvalidParameterException', async () => {
    const error = await rejection(client.send(new GetSecretValueCommand({ SecretId: '' })));
    expect(error).toBeInstanceOf(InvalidParameterException);
  });
});

describe('Secrets Manager emulator: staging labels', () => {
  it('moving AWSCURRENT labels the version it left AWSPREVIOUS, as a rotation finishes', async () => {
    const old = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).VersionId!;
    const token = emulator.newVersionId();
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: '{"password":"two"}', VersionStages: ['AWSPENDING'] }));
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: old }));
    const described = await client.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(described.VersionIdsToStages).toEqual({ [old]: ['AWSPREVIOUS'], [token]: ['AWSPENDING', 'AWSCURRENT'] });
    expect(password(await client.send(new GetSecretValueCommand({ SecretId: arn })))).toBe('two');
    expect(password(await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' })))).toBe('one');
  });

  it('will not move AWSCURRENT without naming the version that holds it', async () => {
    const token = emulator.newVersionId();
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: 'x', VersionStages: ['AWSPENDING'] }));
    const error = await rejection(client.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: token })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(password(await client.send(new GetSecretValueCommand({ SecretId: arn })))).toBe('one');
  });

  it('PutSecretValue with a token already used is a retry only with the same value', async () => {
    const token = emulator.newVersionId();
    const put = (value: string) => client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: value, VersionStages: ['AWSPENDING'] }));
    await put('a');
    await expect(put('a')).resolves.toMatchObject({ VersionId: token });
    const error = await rejection(put('b'));
    expect(error?.name).toBe('ResourceExistsException');
  });
});
