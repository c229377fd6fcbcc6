/**
 * `connlab serve <service> --port N`: an AWS service emulator on 127.0.0.1 until Ctrl-C.
 *
 * Services register in `services` below with a loader, so `connlab --help` stays cheap and a new
 * emulator is one more entry. Each loader returns a started HTTP endpoint.
 */
import { stopSignal, type Command } from '../command.ts';
import { numberOption, quote, UsageError } from '../arguments.ts';

export interface ServedEndpoint {
  url: string;
  close(): Promise<void>;
}

export interface ServableService {
  /** One line for the usage text. */
  summary: string;
  /** Example commands printed once the endpoint is up; `{url}` is replaced by the endpoint. */
  examples: string[];
  start(options: { port: number; host: string }): Promise<ServedEndpoint>;
}

export const services: Readonly<Record<string, () => Promise<ServableService>>> = {
  dynamodb: async () => {
    const [{ DynamoDBEmulator, SUPPORTED_OPERATIONS }, { listenDynamoDB }] = await Promise.all([
      import('../../engine/dynamodb/index.ts'),
      import('../../engine/dynamodb/http-server.node.ts'),
    ]);
    return {
      summary: `DynamoDB (${SUPPORTED_OPERATIONS.join(', ')})`,
      examples: [
        'export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1',
        "aws dynamodb create-table --table-name demo --billing-mode PAY_PER_REQUEST --key-schema AttributeName=pk,KeyType=HASH --attribute-definitions AttributeName=pk,AttributeType=S --endpoint-url {url}",
        "aws dynamodb put-item --table-name demo --item '{\"pk\":{\"S\":\"hello\"}}' --endpoint-url {url}",
      ],
      // Real time here: `serve` answers readers' own programs, not a simulation.
      start: (options) => listenDynamoDB(new DynamoDBEmulator(), options),
    };
  },
  'data-api': async () => {
    const { listenDataApi, SERVED_CLUSTER } = await import('../../engine/dataapi/http-server.node.ts');
    const { DATA_API_OPERATIONS } = await import('../../engine/dataapi/emulator.ts');
    const target = `--resource-arn ${SERVED_CLUSTER.resourceArn} --secret-arn ${SERVED_CLUSTER.secretArn} --database ${SERVED_CLUSTER.database}`;
    return {
      summary: `RDS Data API (${DATA_API_OPERATIONS.join(', ')}) over a virtual PostgreSQL`,
      examples: [
        'export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1',
        `aws rds-data execute-statement ${target} --sql "CREATE TABLE notes (id serial PRIMARY KEY, body text)" --endpoint-url {url}`,
        `aws rds-data execute-statement ${target} --sql "INSERT INTO notes (body) VALUES (:body)" --parameters '[{"name":"body","value":{"stringValue":"hello"}}]' --endpoint-url {url}`,
        `aws rds-data execute-statement ${target} --sql "SELECT * FROM notes" --include-result-metadata --endpoint-url {url}`,
      ],
      start: (options) => listenDataApi(options),
    };
  },
};

const HOST = '127.0.0.1';

export const command: Command = {
  summary: 'Run an AWS service emulator on 127.0.0.1 for the AWS CLI or your own code',
  usage: `connlab serve <${Object.keys(services).join('|')}> --port N`,
  options: { port: { type: 'string', value: 'number' } },
  positionals: ['service'],
  async run({ values, positionals }, io) {
    const [name] = positionals;
    if (!name) throw new UsageError('missing the service name');
    // Own properties only: `serve toString` names no service.
    if (!Object.hasOwn(services, name)) throw new UsageError(`unknown service ${quote(name)}. Expected one of: ${Object.keys(services).join(', ')}.`);
    if (values.port === undefined) throw new UsageError('missing --port N');
    const port = numberOption('port', values.port as string, { min: 0, max: 65_535, integer: true });
    const service = await services[name]!();
    let endpoint: ServedEndpoint;
    try {
      endpoint = await service.start({ port, host: HOST });
    } catch (error) {
      io.stderr(`connlab serve: cannot listen on ${HOST}:${port}: ${(error as Error).message}`);
      return 1;
    }
    const stopped = stopSignal();
    io.stdout(`${service.summary}\nListening on ${endpoint.url}\n\nTry:\n${service.examples.map((e) => `  ${e.replaceAll('{url}', endpoint.url)}`).join('\n')}\n\nCtrl-C stops it.`);
    const signal = await stopped;
    await endpoint.close();
    io.stdout(`Stopped (${signal}).`);
    return 0;
  },
};
