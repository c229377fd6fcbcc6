import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'secret-read-once';

const sdk = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';\nconst secrets = new SecretsManagerClient({});\n`;

describe(rule, () => {
  it('reports a secret fetched at module level, or by a function whose result a module variable keeps', () => {
    expect(lines(rule, `${sdk}const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: 'db' }));\nexport const handler = async () => SecretString;`)).toEqual([3]);
    const factory = `${sdk}async function readPassword() {\n  const result = await secrets.send(new GetSecretValueCommand({ SecretId: 'db' }));\n  return JSON.parse(result.SecretString).password;\n}\nconst password = await readPassword();\nexport const handler = async () => password;`;
    expect(lines(rule, factory, 'typescript')).toEqual([4]);
    const cache = `${sdk}let cached;\nasync function credentials() {\n  if (!cached) cached = await secrets.send(new GetSecretValueCommand({ SecretId: 'db' }));\n  return cached;\n}\nexport const handler = async () => credentials();`;
    expect(lines(rule, cache)).toEqual([5]);
  });

  it('reports Python: at module level, and in a function whose result a global keeps', () => {
    expect(lines(rule, `import boto3, json\nsm = boto3.client("secretsmanager")\nSECRET = json.loads(sm.get_secret_value(SecretId="db")["SecretString"])\n`, 'python')).toEqual([3]);
    expect(lines(rule, `import boto3\nsm = boto3.client("secretsmanager")\n\ndef _read():\n    return sm.get_secret_value(SecretId="db")["SecretString"]\n\n_cached = _read()\n`, 'python')).toEqual([5]);
  });

  it('accepts a file that fetches the secret again when a login fails with 28P01', () => {
    const retry = `${sdk}const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: 'db' }));\nexport const handler = async () => {\n  try { return await query(); } catch (error) {\n    if (error.code !== '28P01') throw error;\n  }\n};`;
    expect(lines(rule, retry)).toEqual([]);
    const python = `import boto3\nsm = boto3.client("secretsmanager")\nSECRET = sm.get_secret_value(SecretId="db")\n\ndef _refused(error):\n    return "password authentication failed" in str(error)\n`;
    expect(lines(rule, python, 'python')).toEqual([]);
  });

  it('accepts a secret fetched each time it is needed', () => {
    expect(lines(rule, `${sdk}export const handler = async () => {\n  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: 'db' }));\n  return SecretString;\n};`)).toEqual([]);
    expect(lines(rule, `import boto3\nsm = boto3.client("secretsmanager")\n\ndef lambda_handler(event, context):\n    return sm.get_secret_value(SecretId="db")\n`, 'python')).toEqual([]);
  });
});
