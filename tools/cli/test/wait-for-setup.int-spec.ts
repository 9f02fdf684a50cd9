import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Topology, deleteStreams } from '@shelfwatch/messaging';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { PROVISIONER_USER, natsPasswordVariable } from '@shelfwatch/platform';
import {
  PrivateNats,
  TEST_NATS_URL,
  TestDatabase,
  createTestDatabase,
  freePort,
  testNamespace,
} from '@shelfwatch/testing';
import { authConfigText } from '../nats-auth-config';
import { loadCliConfig, loadProvisionConfig, loadWaitForSetupConfig } from '../cli.config';
import { migrateAll } from '../migrate';
import { provisionAll } from '../provision';
import { missingSetup, waitForSetup } from '../wait-for-setup';

// What the init container of every service on Kubernetes runs: against a fresh database and NATS namespace it
// waits (and names what is missing) until the migration Job's work, migrations then streams and consumers, is done.

describe('wait-for-setup', () => {
  let database: TestDatabase;
  const namespace = testNamespace();
  const env = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: database.adminUrl,
    NATS_URL: TEST_NATS_URL,
    SHELFWATCH_NAMESPACE: namespace,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    const nc = await connect({ servers: TEST_NATS_URL });
    await deleteStreams(await jetstreamManager(nc), new Topology(namespace));
    await nc.close();
    await database.drop();
  });

  it('waits while ranking is not migrated nor provisioned, then returns once the migration Job has run', async () => {
    const config = loadWaitForSetupConfig('ranking', { ...env(), WAIT_FOR_SETUP_TIMEOUT_MS: '1000' });
    const lines: string[] = [];
    const noSleep = () => Promise.resolve();

    await expect(waitForSetup('ranking', config, (line) => lines.push(line), noSleep)).rejects.toThrow(
      /ranking still lacks, after 1000 ms: .*consumer [A-Z_a-z0-9]+\/ranking/,
    );
    expect(lines[0]).toMatch(/^wait-for-setup ranking: waiting for /);

    await migrateAll(loadCliConfig(env()), () => undefined, ['ranking']);
    expect((await missingSetup('ranking', config)).filter((item) => item.startsWith('migration'))).toEqual([]);
    expect(await missingSetup('ranking', config)).toContainEqual(expect.stringMatching(/^consumer /));

    await provisionAll(loadProvisionConfig(env()), () => undefined);
    await waitForSetup('ranking', config, (line) => lines.push(line), noSleep);
    expect(lines.at(-1)).toBe('wait-for-setup ranking: migrations applied, consumers present');
  });

  it("checks the consumers as the service's own NATS user, which the committed permissions allow", async () => {
    const password = (user: string) => `test-password-of-${user}`;
    const users = [...SERVICE_NAMES, PROVISIONER_USER];
    const passwords = Object.fromEntries(users.map((user) => [natsPasswordVariable(user), password(user)]));
    const nats = await PrivateNats.create(await freePort(), {
      config: authConfigText(),
      env: { ...process.env, ...passwords },
    });
    try {
      const as = (user: string) => ({ ...env(), NATS_URL: nats.url, SHELFWATCH_NAMESPACE: '', NATS_USER: user });
      const config = loadWaitForSetupConfig('alerting', { ...as('alerting'), NATS_PASSWORD: password('alerting') });
      const consumersMissing = async () =>
        (await missingSetup('alerting', config)).filter((item) => item.startsWith('consumer'));
      expect(await consumersMissing()).toEqual([
        'consumer RANKING/alerting-ranking',
        'consumer RETENTION/alerting-retention',
        'consumer TRACKING/alerting-tracking',
      ]);
      const provisioner = { ...as(PROVISIONER_USER), NATS_PASSWORD: password(PROVISIONER_USER) };
      await provisionAll(loadProvisionConfig(provisioner), () => undefined);
      expect(await consumersMissing()).toEqual([]);
    } finally {
      await nats.destroy();
    }
  });
});
