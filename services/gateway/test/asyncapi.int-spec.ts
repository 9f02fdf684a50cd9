import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';

describe('AsyncAPI document at /docs/asyncapi.json', () => {
  let booted: BootedService<GatewayConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(gatewayPersistence, loadGatewayConfig, (config, logger) =>
      GatewayAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('is served without an API key and is the committed document', async () => {
    const answer = await booted.sut.get('/docs/asyncapi.json');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('application/json');
    expect(JSON.parse(answer.body)).toEqual(JSON.parse(readFileSync(resolve('docs/asyncapi.json'), 'utf8')));
  });
});
