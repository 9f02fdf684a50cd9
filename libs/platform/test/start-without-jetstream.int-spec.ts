import { PrivateNats, eventually, freePort } from '@shelfwatch/testing';
import { reportingPersistence } from '../../../services/reporting/src/reporting.persistence';
import { TestEnvironment, createTestEnvironment } from './service-harness';
import { SpawnedService, spawnBuiltService } from './spawn-service';

// Runs the BUILT reporting service (`npm run build` first): a service with consumers, started while its NATS
// answers connections but not yet the JetStream API, as during a NATS restart or a rolling update of the
// cluster. It must wait for JetStream rather than exit, and be ready once JetStream is back.

jest.setTimeout(90_000);

describe('a service starting while JetStream is not up', () => {
  let environment: TestEnvironment;
  let nats: PrivateNats;
  let service: SpawnedService | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment([reportingPersistence]);
    nats = await PrivateNats.create(await freePort(), { jetstream: false });
  });

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await nats.destroy();
    await environment.cleanup();
  });

  it('waits for JetStream instead of exiting, then declares its consumers and becomes ready', async () => {
    const port = await freePort();
    service = spawnBuiltService('reporting', {
      ...environment.env,
      NATS_URL: nats.url,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    // Connected, but nobody answers the JetStream API: the start is retried, not abandoned.
    await service.waitForLine(/NATS did not answer while starting; retrying/, 30_000);
    await service.waitForLine(/"attempt":3,.*NATS did not answer while starting; retrying/, 30_000);
    expect(service.child.exitCode).toBeNull();

    await nats.stop();
    await nats.start({ jetstream: true });

    await service.waitForLine(/reporting listening on port/, 30_000);
    await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(response.status).toBe(200);
    }, 30_000);
    expect(service.child.exitCode).toBeNull();
  });
});
