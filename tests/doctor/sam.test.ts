import { describe, expect, it } from 'vitest';
import { exportNameFor, samHandlers } from '../../src/doctor/sam.ts';
import { generate } from '../../src/templates/index.ts';

describe('the handlers a SAM template names', () => {
  it('reads Handler, CodeUri and Runtime, with Globals and CloudFormation tags', () => {
    const template = `Globals:
  Function:
    Runtime: python3.13
    CodeUri: ./functions
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.app.main
      Environment:
        Variables:
          DB_HOST: !GetAtt Database.Endpoint.Address
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
      CodeUri: reports/
      Handler: src/index.run
  Bucket:
    Type: AWS::S3::Bucket
`;
    expect(samHandlers(template)).toEqual([
      { module: 'functions/orders/app', exportName: 'main' },
      { module: 'reports/src/index', exportName: 'run' },
    ]);
  });

  it("matches the generated projects' templates to their source files, through a built dist/ path", () => {
    const files = generate({ pattern: 'module-pool', runtime: 'nodejs24.x', language: 'typescript', auth: 'iam', iac: 'sam', database: 'rds-postgresql' });
    const handlers = samHandlers(files.find((f) => f.path === 'template.yaml')!.contents);
    expect(handlers).toEqual([{ module: 'dist/handler', exportName: 'handler' }]);
    expect(exportNameFor('src/handler', handlers, ['src/handler', 'test/handler.test'])).toBe('handler');
    expect(exportNameFor('src/other', handlers, ['src/handler', 'src/other'])).toBeUndefined();
  });

  it('throws on text that is not YAML', () => {
    expect(() => samHandlers('Resources: [unclosed')).toThrow();
  });
});
