/**
 * The single-user rotation against the virtual server, as its steps leave things: after setSecret the
 * AWSCURRENT password no longer logs in, until finishSecret moves the label; open connections carry on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHost } from '../../../src/engine/host/host.node.ts';
import { openWorkbench, type Workbench } from '../../../src/engine/world/workbench.ts';
import { SecretsManagerEmulator } from '../../../src/engine/secretsmanager/emulator.ts';
import { rotateSingleUser, type RotationOptions } from '../../../src/engine/secretsmanager/rotation.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
let bench: Workbench | null = null;
afterEach(async () => {
  await bench?.close();
  bench = null;
});

describe('single-user rotation', () => {
  it('changes the password, then moves AWSCURRENT: between the two, the current secret is refused', async () => {
    bench = await openWorkbench(nodeHost);
    const b = bench;
    const pg = b.pg as any;
    const emulator = new SecretsManagerEmulator({ now: () => b.scheduler.now });
    emulator.createSecret('app', JSON.stringify({ engine: 'postgres', host: b.host, port: b.port, username: 'app', password: 'app-password', dbname: 'postgres' }), { rotationEnabled: true });
    const current = () => JSON.parse(emulator.execute('GetSecretValue', { SecretId: 'app' }).SecretString as string) as { password: string };
    const login = (password: string): Promise<string> => {
      const client = new pg.Client({ host: b.host, port: b.port, user: 'app', password, database: 'postgres' });
      return client.connect().then(
        () => client.end().then(() => 'ok'),
        (error: any) => error.code as string,
      );
    };
    const steps: Array<{ step: string; at: number; currentLogsIn?: string }> = [];
    const result = await b.run(async () => {
      const open = new pg.Client({ host: b.host, port: b.port, user: 'app', password: 'app-password', database: 'postgres' });
      await open.connect();
      let probe: Promise<unknown> = Promise.resolve();
      await rotateSingleUser({
        emulator,
        secretId: 'app',
        pg,
        sleep: b.sleep,
        stepGapMs: 250,
        newPassword: 'rotated-password',
        log(step) {
          const entry: { step: string; at: number; currentLogsIn?: string } = { step, at: b.scheduler.now };
          steps.push(entry);
          // What a function that fetches AWSCURRENT now and logs in gets.
          if (step === 'setSecret') probe = login(current().password).then((outcome) => (entry.currentLogsIn = outcome));
        },
      } satisfies RotationOptions);
      await probe;
      const openStillWorks = (await open.query('SELECT 1 AS one')).rows[0].one;
      await open.end();
      return { openStillWorks, after: await login(current().password), old: await login('app-password') };
    });
    expect(steps.map((s) => s.step)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    expect(steps.find((s) => s.step === 'setSecret')?.currentLogsIn).toBe('28P01');
    expect(result).toEqual({ openStillWorks: 1, after: 'ok', old: '28P01' });
    expect(current().password).toBe('rotated-password');
    expect(emulator.execute('DescribeSecret', { SecretId: 'app' }).VersionIdsToStages).toEqual({
      '00000000-0000-4000-8000-000000000001': ['AWSPREVIOUS'],
      '00000000-0000-4000-8000-000000000002': ['AWSPENDING', 'AWSCURRENT'],
    });
  });
});
