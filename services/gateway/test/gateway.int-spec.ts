import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';

describe('gateway service', () => {
  let booted: BootedService<GatewayConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(gatewayPersistence, loadGatewayConfig, (config, logger) =>
      GatewayAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });
});
