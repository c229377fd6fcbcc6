/**
 * A local endpoint for `aws --endpoint-url` that records every API call a deploy script makes and
 * answers in each service's wire format (query/XML for IAM, STS, EC2, RDS and SQS as this CLI
 * version speaks them, JSON for DynamoDB, REST-JSON for Lambda and Aurora DSQL), with just enough state that a
 * script takes its "create" path: a role, proxy, function or table does not exist until created.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { closeServer, listenOnLoopback } from '../../../support/loopback-http.ts';

export interface RecordedCall {
  service: string;
  operation: string;
  params: Record<string, unknown>;
}

export interface Recorder {
  url: string;
  calls: RecordedCall[];
  reset(): void;
  close(): Promise<void>;
}

const ACCOUNT = '111122223333';
const DSQL_CLUSTER_ID = 'abcdefghijklmnopqrstuvwxyz';
const PROXY_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:db-proxy:prx-0123456789abcdef0`;

export async function startRecorder(): Promise<Recorder> {
  const calls: RecordedCall[] = [];
  let created = new Set<string>();
  let createdName = '';

  const server = createServer((req, res) => {
    readBody(req).then((body) => {
      const auth = String(req.headers.authorization ?? '');
      const service = auth.match(/Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//)?.[1] ?? 'unknown';
      const reply = (status: number, contentType: string, text: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'recorder', ...headers });
        res.end(text);
      };
      if (service === 'lambda') return lambda(req, body, reply);
      if (service === 'dynamodb') return dynamodb(req, body, reply);
      if (service === 'dsql') return dsql(req, body, reply);
      const form = Object.fromEntries(new URLSearchParams(body));
      const operation = form.Action ?? 'Unknown';
      calls.push({ service, operation, params: form });
      const xml = query(service, operation, form);
      if (xml.error) return reply(xml.status ?? 400, 'text/xml', xml.error);
      reply(200, 'text/xml', xml.body ?? '');
    });
  });

  function query(service: string, operation: string, form: Record<string, string>): { body?: string; error?: string; status?: number } {
    const wrap = (inner: string) => `<${operation}Response><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>recorder</RequestId></ResponseMetadata></${operation}Response>`;
    const error = (code: string, status = 400) => ({
      status,
      error:
        service === 'ec2'
          ? `<Response><Errors><Error><Code>${code}</Code><Message>${code}</Message></Error></Errors><RequestID>recorder</RequestID></Response>`
          : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code}</Message></Error><RequestId>recorder</RequestId></ErrorResponse>`,
    });
    if (service === 'ec2') {
      const ec2 = (inner: string) => ({ body: `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>recorder</requestId>${inner}</${operation}Response>` });
      if (operation === 'DescribeSecurityGroups') return ec2('<securityGroupInfo/>');
      if (operation === 'CreateSecurityGroup') return ec2(`<groupId>sg-0${Buffer.from(form.GroupName ?? '').toString('hex').slice(0, 16)}</groupId>`);
      return ec2('<return>true</return>');
    }
    switch (`${service}.${operation}`) {
      case 'sts.GetCallerIdentity':
        return { body: wrap(`<Arn>arn:aws:iam::${ACCOUNT}:user/deployer</Arn><UserId>AIDATEST</UserId><Account>${ACCOUNT}</Account>`) };
      case 'iam.GetRole':
        return created.has(`role:${form.RoleName}`) ? { body: wrap(role(form.RoleName ?? '')) } : error('NoSuchEntity', 404);
      case 'iam.CreateRole':
        created.add(`role:${form.RoleName}`);
        return { body: wrap(role(form.RoleName ?? '')) };
      case 'rds.DescribeDBProxies':
        return created.has('proxy') ? { body: wrap(`<DBProxies><member>${proxy(form.DBProxyName ?? '', 'available')}</member></DBProxies>`) } : error('DBProxyNotFoundFault', 404);
      case 'rds.CreateDBProxy':
        created.add('proxy');
        return { body: wrap(`<DBProxy>${proxy(form.DBProxyName ?? '', 'creating')}</DBProxy>`) };
      case 'rds.ModifyDBProxyTargetGroup':
        return { body: wrap(`<DBProxyTargetGroup><DBProxyName>${form.DBProxyName}</DBProxyName><TargetGroupName>default</TargetGroupName></DBProxyTargetGroup>`) };
      case 'rds.RegisterDBProxyTargets':
        return { body: wrap('<DBProxyTargets/>') };
      case 'rds.DescribeDBClusters':
        return { body: wrap(`<DBClusters><DBCluster><DBClusterIdentifier>${form.DBClusterIdentifier}</DBClusterIdentifier><HttpEndpointEnabled>true</HttpEndpointEnabled></DBCluster></DBClusters>`) };
      case 'sqs.CreateQueue':
        return { body: wrap(`<QueueUrl>https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${form.QueueName}</QueueUrl>`) };
      case 'sqs.GetQueueAttributes': {
        const name = (form.QueueUrl ?? '').split('/').pop();
        return { body: wrap(`<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:${ACCOUNT}:${name}</Value></Attribute>`) };
      }
      default:
        return { body: wrap('') };
    }
  }

  function lambda(req: IncomingMessage, body: string, reply: (status: number, type: string, text: string, headers?: Record<string, string>) => void) {
    const url = new URL(req.url ?? '/', 'http://recorder');
    const params: Record<string, unknown> = body ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(url.searchParams);
    const path = url.pathname.replace(/\/$/, '');
    let operation = `${req.method} ${path}`;
    if (req.method === 'GET' && /^\/2015-03-31\/functions\/[^/]+$/.test(path)) {
      operation = 'GetFunction';
      calls.push({ service: 'lambda', operation, params: { FunctionName: decodeURIComponent(path.split('/')[3]!) } });
      if (!created.has('function')) return reply(404, 'application/json', JSON.stringify({ Type: 'User', message: 'Function not found' }), { 'x-amzn-errortype': 'ResourceNotFoundException' });
      return reply(200, 'application/json', JSON.stringify({ Configuration: { FunctionName: 'f', State: 'Active', LastUpdateStatus: 'Successful' } }));
    }
    if (req.method === 'POST' && path === '/2015-03-31/functions') {
      created.add('function');
      calls.push({ service: 'lambda', operation: 'CreateFunction', params });
      return reply(201, 'application/json', JSON.stringify({ FunctionName: params.FunctionName, FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${String(params.FunctionName)}` }));
    }
    // Managed Instances: a capacity provider is Active as soon as it is created.
    const capacityProvider = path.match(/^\/2025-11-30\/capacity-providers(?:\/([^/]+))?$/);
    if (capacityProvider) {
      const name = capacityProvider[1] ? decodeURIComponent(capacityProvider[1]) : String(params.CapacityProviderName);
      const description = { CapacityProviderArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:capacity-provider:${name}`, State: 'Active', VpcConfig: params.VpcConfig, PermissionsConfig: params.PermissionsConfig };
      if (req.method === 'POST') {
        created.add('capacity-provider');
        calls.push({ service: 'lambda', operation: 'CreateCapacityProvider', params });
        return reply(202, 'application/json', JSON.stringify({ CapacityProvider: description }));
      }
      calls.push({ service: 'lambda', operation: 'GetCapacityProvider', params: { CapacityProviderName: name } });
      if (!created.has('capacity-provider')) return reply(404, 'application/json', JSON.stringify({ Type: 'User', message: 'Capacity provider not found' }), { 'x-amzn-errortype': 'ResourceNotFoundException' });
      return reply(200, 'application/json', JSON.stringify({ CapacityProvider: description }));
    }
    if (req.method === 'POST' && /^\/2015-03-31\/functions\/[^/]+\/versions$/.test(path)) {
      calls.push({ service: 'lambda', operation: 'PublishVersion', params });
      return reply(201, 'application/json', JSON.stringify({ Version: '$LATEST.PUBLISHED' }));
    }
    if (req.method === 'GET' && path === '/2015-03-31/event-source-mappings') {
      calls.push({ service: 'lambda', operation: 'ListEventSourceMappings', params });
      return reply(200, 'application/json', JSON.stringify({ EventSourceMappings: [] }));
    }
    if (req.method === 'POST' && path === '/2015-03-31/event-source-mappings') {
      calls.push({ service: 'lambda', operation: 'CreateEventSourceMapping', params });
      return reply(202, 'application/json', JSON.stringify({ UUID: '00000000-0000-4000-8000-000000000000', State: 'Creating' }));
    }
    calls.push({ service: 'lambda', operation, params });
    return reply(200, 'application/json', '{}');
  }

  /** Aurora DSQL's REST-JSON API: a cluster exists once created, and is active at once. */
  function dsql(req: IncomingMessage, body: string, reply: (status: number, type: string, text: string, headers?: Record<string, string>) => void) {
    const path = new URL(req.url ?? '/', 'http://recorder').pathname.replace(/\/$/, '');
    const params = JSON.parse(body || '{}') as Record<string, unknown>;
    const cluster = { identifier: DSQL_CLUSTER_ID, arn: `arn:aws:dsql:us-east-1:${ACCOUNT}:cluster/${DSQL_CLUSTER_ID}`, status: 'ACTIVE', creationTime: 1767225600, deletionProtectionEnabled: true, endpoint: `${DSQL_CLUSTER_ID}.dsql.us-east-1.on.aws`, tags: { Name: createdName } };
    if (req.method === 'GET' && path === '/cluster') {
      calls.push({ service: 'dsql', operation: 'ListClusters', params });
      return reply(200, 'application/json', JSON.stringify({ clusters: created.has('cluster') ? [{ identifier: cluster.identifier, arn: cluster.arn }] : [] }));
    }
    if (req.method === 'POST' && path === '/cluster') {
      created.add('cluster');
      createdName = String((params.tags as Record<string, unknown> | undefined)?.Name ?? '');
      calls.push({ service: 'dsql', operation: 'CreateCluster', params });
      return reply(200, 'application/json', JSON.stringify({ ...cluster, tags: undefined }));
    }
    if (req.method === 'GET' && path === `/cluster/${DSQL_CLUSTER_ID}` && created.has('cluster')) {
      calls.push({ service: 'dsql', operation: 'GetCluster', params: { identifier: DSQL_CLUSTER_ID } });
      return reply(200, 'application/json', JSON.stringify({ ...cluster, tags: { Name: createdName } }));
    }
    calls.push({ service: 'dsql', operation: `${req.method} ${path}`, params });
    return reply(404, 'application/json', JSON.stringify({ message: 'not found' }), { 'x-amzn-errortype': 'ResourceNotFoundException' });
  }

  function dynamodb(req: IncomingMessage, body: string, reply: (status: number, type: string, text: string, headers?: Record<string, string>) => void) {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
    const params = JSON.parse(body || '{}') as Record<string, unknown>;
    calls.push({ service: 'dynamodb', operation, params });
    const table = { TableName: params.TableName, TableStatus: 'ACTIVE', TableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${String(params.TableName)}` };
    if (operation === 'DescribeTable') {
      if (!created.has('table')) return reply(400, 'application/x-amz-json-1.0', JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' }));
      return reply(200, 'application/x-amz-json-1.0', JSON.stringify({ Table: table }));
    }
    if (operation === 'CreateTable') {
      created.add('table');
      return reply(200, 'application/x-amz-json-1.0', JSON.stringify({ TableDescription: table }));
    }
    return reply(200, 'application/x-amz-json-1.0', '{}');
  }

  const url = await listenOnLoopback(server);
  return {
    url,
    calls,
    reset() {
      calls.length = 0;
      created = new Set();
    },
    async close() {
      await closeServer(server);
    },
  };
}

const role = (name: string) =>
  `<Role><Path>/</Path><RoleName>${name}</RoleName><RoleId>AROATEST</RoleId><Arn>arn:aws:iam::${ACCOUNT}:role/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>`;

const proxy = (name: string, status: string) =>
  `<DBProxyName>${name}</DBProxyName><DBProxyArn>${PROXY_ARN}</DBProxyArn><Status>${status}</Status><EngineFamily>POSTGRESQL</EngineFamily><Endpoint>${name}.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com</Endpoint>`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
  });
}
