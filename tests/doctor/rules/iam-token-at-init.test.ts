import { describe, expect, it } from 'vitest';
import { lines } from '../support.ts';

const rule = 'iam-token-at-init';

describe(rule, () => {
  it('reports a token signed at module level (JavaScript and Python)', () => {
    expect(lines(rule, `import { Signer } from '@aws-sdk/rds-signer';\nconst signer = new Signer({});\nconst token = await signer.getAuthToken();`)).toEqual([3]);
    expect(lines(rule, `import boto3\nrds = boto3.client("rds")\nTOKEN = rds.generate_db_auth_token(DBHostname="h", Port=5432, DBUsername="u")\n`, 'python')).toEqual([3]);
  });

  it('reports a token cached in a module variable from the handler', () => {
    const code = `import boto3
rds = boto3.client("rds")
token = None

def lambda_handler(event, context):
    global token
    if token is None:
        token = rds.generate_db_auth_token(DBHostname="h", Port=5432, DBUsername="u")
`;
    expect(lines(rule, code, 'python')).toEqual([8]);
  });

  it('accepts a token signed per connection', () => {
    expect(lines(rule, `import { Signer } from '@aws-sdk/rds-signer';\nconst signer = new Signer({});\nexport const password = () => signer.getAuthToken();`)).toEqual([]);
    expect(lines(rule, `def _password():\n    return rds.generate_db_auth_token(DBHostname="h", Port=5432, DBUsername="u")\n`, 'python')).toEqual([]);
  });
});
