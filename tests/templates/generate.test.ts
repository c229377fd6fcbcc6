/**
 * The generator as a pure function over every combination: refused combinations say why, output
 * is deterministic and zips byte-identically, each file names the answers behind it, and no file
 * holds a secret, an insecure placeholder or one of the fact sheet's known errors (section H).
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { generate, InvalidOptionsError, parseGenerateOptions, projectFiles, validCombinations, zipProject, type GenerateOptions, type GeneratedFile } from '../../src/templates/index.ts';
import { allProjects } from './support/projects.ts';

const projects = allProjects();
const base: GenerateOptions = { pattern: 'module-pool', runtime: 'nodejs22.x', language: 'typescript', auth: 'iam', iac: 'sam', database: 'rds-postgresql' };

describe('combinations', () => {
  it('accepts 720 combinations: 3 connection patterns x 3 databases x 6 runtime/language x 2 auth x 4 IaC, plus Data API, DynamoDB and Aurora DSQL, plus Managed Instances for the Node.js module-pool and rds-proxy projects', () => {
    expect(validCombinations().length).toBe(3 * 3 * 6 * 2 * 4 + 2 * 6 * 4 + 6 * 4 + 6 * 4 + 2 * 3 * 4 * 2 * 4);
    expect(validCombinations().filter((options) => options.compute === 'managed-instances').every((options) => options.runtime.startsWith('nodejs') && ['module-pool', 'rds-proxy'].includes(options.pattern))).toBe(true);
  });

  it('sizes the Managed Instances pool from AWS_LAMBDA_MAX_CONCURRENCY and DB_POOL_SHARE, which every IaC flavour sets', () => {
    for (const iac of ['sam', 'cdk', 'terraform', 'aws-cli'] as const) {
      const files = generate({ ...base, iac, compute: 'managed-instances' });
      const handler = files.find((file) => file.path === 'src/handler.ts')!.contents;
      expect(handler).toContain("Math.max(1, Math.min(concurrentInvocations, Number(env('DB_POOL_SHARE'))))");
      expect(handler).toContain('max: poolMax,');
      expect(files.some((file) => file.path !== 'src/handler.ts' && file.contents.includes('DB_POOL_SHARE')), iac).toBe(true);
      // The environments are capped too, and the README says why: environments × pool size within the budget.
      const readme = files.find((file) => file.path === 'README.md')!.contents;
      expect(readme, iac).toContain('MaxExecutionEnvironments × DB_POOL_SHARE stays within the function\'s connection budget');
      expect(readme, iac).toContain('without the setting both are 3');
    }
    // The default compute keeps its pool of one, and no DB_POOL_SHARE.
    const standard = generate(base);
    expect(standard.find((file) => file.path === 'src/handler.ts')!.contents).toContain('max: 1,');
    expect(standard.some((file) => file.contents.includes('DB_POOL_SHARE'))).toBe(false);
    expect(standard.some((file) => /ExecutionEnvironments|execution_environments/.test(file.contents))).toBe(false);
  });

  it('refuses Managed Instances where they change nothing in the project', () => {
    expect(parseGenerateOptions({ ...base, runtime: 'python3.13', language: 'python', compute: 'managed-instances' })).toMatchObject({ ok: false, errors: [expect.stringContaining('each concurrent invocation in its own process')] });
    expect(parseGenerateOptions({ ...base, pattern: 'dynamodb', compute: 'managed-instances' })).toMatchObject({ ok: false });
  });

  it.each([
    [{ pattern: 'data-api', database: 'rds-postgresql', auth: 'secrets-manager' }, 'the RDS Data API serves Aurora clusters only'],
    [{ pattern: 'data-api', database: 'aurora-postgresql', auth: 'iam' }, 'the Data API logs in to the database with a Secrets Manager secret'],
    [{ pattern: 'dynamodb', auth: 'secrets-manager' }, 'DynamoDB has no database password'],
    [{ runtime: 'python3.12', language: 'typescript' }, 'python3.12 runs python, not typescript'],
  ] as const)('refuses %j with its reason', (patch, reason) => {
    const options = { ...base, ...patch } as GenerateOptions;
    expect(() => generate(options)).toThrow(InvalidOptionsError);
    try {
      generate(options);
    } catch (error) {
      expect((error as InvalidOptionsError).reasons.join('\n')).toContain(reason);
    }
  });

  it('lists valid values for a bad one', () => {
    const result = parseGenerateOptions({ ...base, runtime: 'nodejs18.x' });
    expect(result).toEqual({ ok: false, errors: ['runtime: expected one of nodejs22.x, nodejs24.x, python3.12, python3.13; got "nodejs18.x"'] });
  });
});

describe('determinism and zip', () => {
  it('generates the same bytes twice, in path order', () => {
    for (const { options, files } of projects.filter((_, i) => i % 7 === 0)) {
      expect(generate(options)).toEqual(files);
      expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
    }
  });

  it('zips byte-identically whatever the input order, and unzips to the same files with their modes', () => {
    const files = generate({ ...base, iac: 'aws-cli' });
    const zip = zipProject(files);
    expect(zipProject([...files].reverse())).toEqual(zip);
    const unpacked = unzipSync(zip);
    expect(Object.keys(unpacked).sort()).toEqual(files.map((f) => f.path));
    for (const file of files) expect(strFromU8(unpacked[file.path]!)).toBe(file.contents);
    // deploy.sh is stored executable (Unix mode in the external attributes of its central-directory entry).
    const bytes = Buffer.from(zip);
    const name = bytes.indexOf('deploy.sh', bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), bytes.indexOf('deploy.sh', bytes.length / 2)));
    const entry = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), name);
    expect((bytes.readUInt32LE(entry + 38) >>> 16) & 0o777).toBe(0o755);
  });
});

describe('every file of every combination', () => {
  const everyFile = projects.flatMap(({ options, files }) => files.map((file) => ({ options, file })));

  it(`names the answers that produced it, with their values (${everyFile.length} files)`, () => {
    let named = 0;
    for (const { options, file } of everyFile) {
      const text = file.path.endsWith('package.json') ? String(JSON.parse(file.contents).description) : file.contents;
      const line = text.match(/(?:Produced by:|Generated by Lambda Connection Lab:?[^:]*:) ?((?:\w+=[\w.-]+(?:, )?)+)/);
      if (!line) {
        // Only data files that cannot hold a comment go without: the sample event, cdk.json, .gitignore.
        expect(['events/event.json', 'infra/cdk.json', '.gitignore'], `${file.path} of ${JSON.stringify(options)}`).toContain(file.path);
        continue;
      }
      named++;
      for (const pair of line[1]!.split(', ')) {
        const [key, value] = pair.split('=') as [keyof GenerateOptions, string];
        expect(options[key], `${file.path}: ${pair}`).toBe(value);
      }
    }
    expect(named).toBeGreaterThan(everyFile.length * 0.75);
  });

  it('has a one-line purpose, listed in the README and shown by the wizard, for exactly the files generated', () => {
    for (const { options, files } of projects) {
      const listed = projectFiles(options);
      expect(listed.map((file) => file.path).sort()).toEqual(files.map((file) => file.path).sort());
      const readme = files.find((file) => file.path === 'README.md')?.contents ?? '';
      for (const file of listed) expect(readme).toContain(`- \`${file.path}\`: ${file.purpose}`);
    }
  });

  it('holds no password, key, secret or insecure placeholder', () => {
    const forbidden: Array<[RegExp, string]> = [
      [/(password|passwd|pwd|secret|token)\s*[:=]\s*["'][^"'$<{\s][^"']{3,}["']/i, 'a literal credential'],
      [/\b(changeme|change_me|password123|hunter2|letmein|your[-_ ]?password|s3cr3t)\b/i, 'a placeholder password'],
      [/AKIA[0-9A-Z]{16}/, 'an access key id'],
      [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
      [/rejectUnauthorized:\s*false|sslmode\s*=\s*["']?(disable|allow|prefer)\b|ssl:\s*false/, 'TLS without verification'],
      [/NODE_TLS_REJECT_UNAUTHORIZED/, 'TLS verification switched off'],
      [/"Resource"\s*:\s*"\*"|Resource:\s*"?\*"?\s*$|resources:\s*\[\s*'\*'\s*\]|Resource\s*=\s*"\*"/m, 'a wildcard resource'],
    ];
    for (const { options, file } of everyFile) {
      for (const [pattern, what] of forbidden) expect(pattern.test(file.contents), `${what} in ${file.path} of ${JSON.stringify(options)}`).toBe(false);
    }
  });

  it('repeats none of the known errors of fact sheet section H', () => {
    for (const { options, file } of everyFile) {
      const where = `${file.path} of ${JSON.stringify(options)}`;
      expect(file.contents, where).not.toContain('EXCLUDE_VARIABLE_SETS');
      expect(file.contents, where).not.toMatch(/DBUser\s*=/);
      expect(file.contents, where).not.toMatch(/\bssl\s*=\s*['"]/);
      expect(file.contents, where).not.toMatch(/arn:[^"'\s]*:rds:[^"'\s]*:db-proxy:[^"'\s]*\/\*/);
      expect(file.contents, where).not.toMatch(/engine-family MYSQL|EngineFamily: MYSQL|engine_family\s*=\s*"MYSQL"/);
      expect(file.contents, where).not.toMatch(/create-db-proxy[^\n]*(\\\n[^\n]*)*--(max-connections-percent|max-idle-connections-percent|session-pinning-filters|connection-pool-config)/);
      for (const arn of file.contents.match(/arn:[^"'`\s,\]]*rds-db[^"'`\s,\]]*/g) ?? []) {
        const shape = arn.replace(/\$\{[^}]+\}|\$[A-Z_]+/g, 'X');
        expect(shape, where).toBe('arn:X:rds-db:X:X:dbuser:X/X');
        expect(arn, where).toMatch(/dbuser:(\$\{(ProxyResourceId|DbResourceId|local\.proxy_resource_id|var\.db_resource_id|proxyResourceId|ctx\.dbResourceId)\}|\$(PROXY_RESOURCE_ID|DB_RESOURCE_ID))\//);
      }
    }
  });

  it('keeps SQL parameterised: no interpolation or concatenation of values into statements', () => {
    for (const { options, file } of everyFile.filter(({ file }) => /handler\.(ts|mjs|py)$/.test(file.path))) {
      const where = `${file.path} of ${JSON.stringify(options)}`;
      expect(file.contents, where).not.toMatch(/execute\(\s*f["']/);
      expect(file.contents, where).not.toMatch(/(query|execute)\(\s*`/);
      expect(file.contents, where).not.toMatch(/sql:\s*`/);
      for (const [, sql] of file.contents.matchAll(/(?:query|execute)\(\s*(?:\n\s*)?(['"][^;]*?)[,)]\s*\n/g)) {
        expect(sql, where).not.toMatch(/\+\s*[a-z_]\w*(\.\w+)*\s*(\+|$)/i);
      }
    }
  });

  it('bakes in the pool lessons in every connecting handler', () => {
    for (const { options, file } of everyFile.filter(({ file }) => /handler\.(ts|mjs)$/.test(file.path))) {
      if (!['module-pool', 'rds-proxy', 'sqs-batching'].includes(options.pattern)) continue;
      expect(file.contents).toMatch(/export const pool = new pg\.Pool\(/);
      // On Managed Instances the pool takes a connection per concurrent invocation, within the environment's share.
      expect(file.contents).toMatch(options.compute === 'managed-instances' ? /max: poolMax,/ : /max: 1,/);
      expect(file.contents).toMatch(/idleTimeoutMillis: 60000,/);
      expect(file.contents).toMatch(/pool\.on\('error'/);
      expect(file.contents).toMatch(/rejectUnauthorized: true/);
      expect(file.contents.indexOf('new pg.Pool')).toBeLessThan(file.contents.indexOf('export const handler'));
      if (options.auth === 'iam') expect(file.contents).toMatch(/password = \(\)(: Promise<string>)? => signer\.getAuthToken\(\)/);
    }
    for (const { options, file } of everyFile.filter(({ file }) => file.path === 'app/handler.py')) {
      if (!['module-pool', 'rds-proxy', 'sqs-batching'].includes(options.pattern)) continue;
      expect(file.contents).toContain('sslmode="verify-full"');
      expect(file.contents).toContain('return _open(_password())');
      if (options.auth === 'iam') expect(file.contents).toContain('generate_db_auth_token(DBHostname=HOST, Port=PORT, DBUsername=USER');
    }
  });
});

describe('logins, secrets and timeouts of connecting projects', () => {
  const connecting = projects.filter(({ options }) => ['module-pool', 'rds-proxy', 'sqs-batching'].includes(options.pattern));
  const file = (files: GeneratedFile[], path: string) => files.find((f) => f.path === path)?.contents ?? '';
  const handlerOf = (files: GeneratedFile[]) => files.find((f) => /^(src\/handler\.(ts|mjs)|app\/handler\.py)$/.test(f.path))!.contents;

  it('grants rds_iam only where the function itself logs in to the database with an IAM token', () => {
    for (const { options, files } of projects) {
      const where = JSON.stringify(options);
      const functionUsesIamToDatabase = options.auth === 'iam' && (options.pattern === 'module-pool' || options.pattern === 'sqs-batching');
      expect(/^GRANT rds_iam TO lambda_app;$/m.test(file(files, 'schema.sql')), where).toBe(functionUsesIamToDatabase);
      // Behind the proxy no file tells the reader to grant it (the proxy logs in with the secret's password).
      if (options.pattern === 'rds-proxy') for (const f of files) expect(f.contents, `${f.path} of ${where}`).not.toMatch(/GRANT rds_iam TO|granted rds_iam/);
      // Wherever a password logs in (the proxy's secret, the function's secret, the Data API), schema.sql sets it.
      const passwordLogin = options.pattern !== 'dynamodb' && options.pattern !== 'aurora-dsql' && !functionUsesIamToDatabase;
      expect(/^\\password lambda_app$/m.test(file(files, 'schema.sql')), where).toBe(passwordLogin);
    }
  });

  it('reads the secret at INIT, keeps it, and reads it again once on 28P01; no password in an environment variable', () => {
    for (const { options, files } of projects) {
      for (const f of files) expect(f.contents, `${f.path} of ${JSON.stringify(options)}`).not.toMatch(/DB_PASSWORD|PGPASSWORD/);
    }
    for (const { options, files } of connecting.filter(({ options }) => options.auth === 'secrets-manager')) {
      const handler = handlerOf(files);
      if (options.language === 'python') {
        expect(handler).toMatch(/^_cached_password = _read_password\(\)$/m);
        expect(handler).toContain('error.sqlstate == "28P01"');
        expect(handler).toMatch(/_cached_password = _read_password\(\)\n\s+return _open\(_cached_password\)/);
      } else {
        expect(handler).toMatch(/^let cachedPassword = await readPassword\(\);$/m);
        expect(handler).toMatch(/code !== '28P01'\) throw error;\n\s+cachedPassword = await readPassword\(\);\n\s+return pool\.connect\(\);/);
      }
      // The policy names the one secret; no KMS permission is generated (the default aws/secretsmanager key needs none).
      for (const f of files.filter((f) => /template\.yaml|main\.tf|orders-stack\.ts|deploy\.sh/.test(f.path))) {
        expect(f.contents).toContain('secretsmanager:GetSecretValue');
        expect(f.contents).not.toContain('kms:Decrypt');
      }
    }
  });

  it('bounds every connection attempt and query, server-side on the role and never by a startup option or a session SET', () => {
    for (const { options, files } of connecting) {
      const where = JSON.stringify(options);
      const handler = handlerOf(files);
      expect(file(files, 'schema.sql'), where).toMatch(/^ALTER ROLE lambda_app SET statement_timeout = '5s';$/m);
      expect(handler, where).not.toMatch(/statement_timeout\s*[:=]|\boptions\s*[:=]|['"]SET\s/i);
      expect(file(files, 'README.md'), where).toMatch(/a session `SET` pins[^]*startup `options` parameter[^]*refused/);
      if (options.language === 'python') {
        expect(handler, where).toContain('connect_timeout=5,');
        expect(handler, where).toMatch(/keepalives=1,\n\s+keepalives_idle=10,\n\s+keepalives_interval=5,\n\s+keepalives_count=2,/);
      } else {
        expect(handler, where).toContain('connectionTimeoutMillis: 5000,');
        expect(handler, where).toContain('query_timeout: 8000,');
        expect(handler, where).toContain('keepAlive: true,');
        // Without a delay Node keeps the OS default: the first probe 2 hours after the last packet.
        expect(handler, where).toContain('keepAliveInitialDelayMillis: 10000,');
        for (const text of ["'ECONNRESET'", 'Connection terminated unexpectedly', 'Connection terminated due to connection timeout']) expect(handler, where).toContain(text);
        // A client that failed under a query goes back to the pool with the error, so the pool destroys it.
        expect(handler, where).toMatch(/broken = error( as Error)?;/);
        expect(handler, where).toContain('client.release(broken);');
      }
    }
  });

  // Each wait must end before the one that would hide its error: behind the proxy, a statement waits in the
  // borrow queue and then runs under statement_timeout, all before pg's query_timeout; and a stalled connect
  // plus a stalled query (in Python: the keepalives noticing a vanished server) end before the function timeout.
  it('orders its waits: borrow + statement_timeout < query_timeout, and connect + query bound < function timeout', () => {
    const numbers = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => Number(match[1]));
    for (const { options, files } of connecting) {
      const where = JSON.stringify(options);
      const handler = handlerOf(files);
      const iac = files.filter((f) => /^(template\.yaml|infra\/main\.tf|deploy\.sh|infra\/lib\/orders-stack\.ts)$/.test(f.path)).map((f) => f.contents).join('\n');
      const functionTimeouts = numbers(iac, /(?:^\s*Timeout: |^\s*timeout\s*= |--timeout |\btimeout: Duration\.seconds\()(\d+)/gm);
      expect(new Set(functionTimeouts).size, `${where}: one function timeout`).toBe(1);
      const functionMs = functionTimeouts[0]! * 1000;
      const statementMs = numbers(file(files, 'schema.sql'), /SET statement_timeout = '(\d+)s'/g)[0]! * 1000;
      const borrowTimeouts = numbers(iac, /connection_?borrow_?timeout\s*[:=]\s*(\d+)/gi);
      expect(borrowTimeouts.length > 0, where).toBe(options.pattern === 'rds-proxy');
      const borrowMs = options.pattern === 'rds-proxy' ? borrowTimeouts[0]! * 1000 : 0;
      const connectMs = options.language === 'python' ? numbers(handler, /connect_timeout=(\d+),/g)[0]! * 1000 : numbers(handler, /connectionTimeoutMillis: (\d+),/g)[0]!;
      // psycopg has no client-side query timeout: a vanished server is noticed after idle + count x interval.
      const [idle, interval, count] = ['idle', 'interval', 'count'].map((k) => numbers(handler, new RegExp(`keepalives_${k}=(\\d+),`, 'g'))[0]!);
      const queryMs = options.language === 'python' ? (idle! + interval! * count!) * 1000 : numbers(handler, /query_timeout: (\d+),/g)[0]!;
      for (const n of [functionMs, statementMs, connectMs, queryMs]) expect(n, where).toBeGreaterThan(0);
      expect(borrowMs + statementMs, `${where}: borrow + statement_timeout before the query bound`).toBeLessThan(queryMs);
      expect(connectMs + queryMs, `${where}: connect + query bound before the function timeout`).toBeLessThan(functionMs);
      expect(file(files, 'README.md'), where).toContain('- The bounds are ordered so that the error that ends a wait is the one that explains it:');
    }
  });

  it('puts every import of a generated handler.py at the top (PEP 8), as Python\'s own parser sees it', async () => {
    const { execFileSync } = await import('node:child_process');
    const sources = [...new Set(projects.flatMap(({ files }) => files.filter((f) => f.path === 'app/handler.py').map((f) => f.contents)))];
    expect(sources.length).toBe(9);
    const script = [
      'import ast, json, sys',
      'out = []',
      'for source in json.load(sys.stdin):',
      '    body = ast.parse(source).body',
      '    kinds = [isinstance(node, (ast.Import, ast.ImportFrom)) for node in body]',
      '    first_other = kinds.index(False) if False in kinds else len(kinds)',
      '    out.append({"imports": sum(kinds), "late": [body[i].lineno for i, k in enumerate(kinds) if k and i > first_other]})',
      'print(json.dumps(out))',
    ].join('\n');
    const result = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8' })) as Array<{ imports: number; late: number[] }>;
    for (const { imports, late } of result) {
      expect(imports).toBeGreaterThan(1);
      expect(late).toEqual([]);
    }
  });
});

describe('Aurora DSQL projects', () => {
  const dsql = projects.filter(({ options }) => options.pattern === 'aurora-dsql');
  const handlerOf = (files: GeneratedFile[]) => files.find((f) => /^(src\/handler\.(ts|mjs)|app\/handler\.py)$/.test(f.path))!.contents;
  const infraOf = (files: GeneratedFile[]) => files.filter((f) => /template\.yaml|main\.tf|orders-stack\.ts|deploy\.sh/.test(f.path)).map((f) => f.contents).join('\n');

  it('exist for every runtime, language and IaC, with IAM only, the default database and the default compute', () => {
    expect(dsql.length).toBe(6 * 4);
    expect(dsql.every(({ options }) => options.auth === 'iam' && options.database === 'rds-postgresql' && options.compute === undefined)).toBe(true);
    expect(parseGenerateOptions({ ...base, pattern: 'aurora-dsql', auth: 'secrets-manager' })).toMatchObject({ ok: false, errors: [expect.stringContaining('Aurora DSQL has no database passwords')] });
    expect(parseGenerateOptions({ ...base, pattern: 'aurora-dsql', database: 'aurora-postgresql' })).toMatchObject({ ok: false, errors: [expect.stringContaining('creates its own Aurora DSQL cluster')] });
    expect(parseGenerateOptions({ ...base, pattern: 'aurora-dsql', compute: 'managed-instances' })).toMatchObject({ ok: false });
  });

  it('sign a DbConnect token per connection, verify TLS, retry 53400 with jitter, retire a session before DSQL ends it, close on SIGTERM', () => {
    for (const { options, files } of dsql) {
      const handler = handlerOf(files);
      const where = JSON.stringify(options);
      if (options.language === 'python') {
        expect(handler, where).toContain('_dsql.generate_db_connect_auth_token(Hostname=HOST, Region=os.environ["AWS_REGION"])');
        expect(handler, where).toContain('sslmode="verify-full"');
        expect(handler, where).toContain('error.sqlstate == "53400"');
        expect(handler, where).toContain('time.sleep(random.uniform(0, min(2, 0.1 * 2**attempt)))');
        expect(handler, where).toContain('MAX_LIFETIME_SECONDS = 3300');
        expect(handler, where).toContain('signal.signal(signal.SIGTERM, _on_sigterm)');
      } else {
        expect(handler, where).toContain('signer.getDbConnectAuthToken()');
        expect(handler, where).not.toContain('getDbConnectAdminAuthToken');
        expect(handler, where).toContain('ssl: { ca, rejectUnauthorized: true }');
        expect(handler, where).toContain("code !== '53400' || attempt === 5) throw error;");
        expect(handler, where).toContain('Math.random() * ceiling');
        expect(handler, where).toContain('maxLifetimeSeconds: 3300,');
        expect(handler, where).toContain("process.on('SIGTERM'");
      }
      expect(handler, where).not.toContain('global-bundle.pem');
    }
  });

  it('declare the cluster, no VPC, and dsql:DbConnect on its exact ARN only', () => {
    for (const { options, files } of dsql) {
      const infra = infraOf(files);
      const where = JSON.stringify(options);
      expect(infra, where).toMatch(/AWS::DSQL::Cluster|aws_dsql_cluster|dsql\.CfnCluster|aws dsql create-cluster/);
      expect(infra, where).toContain('dsql:DbConnect');
      expect(infra, where).not.toContain('dsql:DbConnectAdmin');
      expect(infra, where).toMatch(/:dsql:[^\n]*:cluster\/\$\{?(DsqlCluster\.Identifier|aws_dsql_cluster\.orders\.identifier|cluster\.attrIdentifier|CLUSTER_ID)/);
      expect(infra, where).not.toMatch(/VpcConfig|vpc_config|vpcSubnets|--vpc-config|AWSLambdaVPCAccessExecutionRole/);
    }
  });

  it("create the table without sequences, link the custom role to the function's IAM role, and grant only what the handler needs", () => {
    for (const { files } of dsql) {
      const schema = files.find((f) => f.path === 'schema.sql')!.contents;
      expect(schema).toContain('id uuid PRIMARY KEY DEFAULT gen_random_uuid()');
      expect(schema).not.toMatch(/serial|SEQUENCE|REFERENCES|DO \$\$/);
      expect(schema).toContain('CREATE INDEX ASYNC IF NOT EXISTS orders_customer_id ON orders (customer_id);');
      expect(schema).toContain("AWS IAM GRANT lambda_app TO :'function_role_arn';");
      expect(schema).toMatch(/^GRANT SELECT, INSERT ON orders TO lambda_app;$/m);
    }
  });
});
