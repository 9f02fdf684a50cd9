import { randomUUID } from 'node:crypto';
import { MetricsServer } from '@shelfwatch/observability';
import {
  BootedService,
  TestResponse,
  bootInTestEnvironment,
  expectHealthyProbes,
} from '../../../libs/platform/test/service-harness';
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

  /** A GET on the internal metrics port, over a real socket. */
  async function internal(path: string): Promise<TestResponse> {
    const answer = await fetch(`http://127.0.0.1:${booted.sut.app.get(MetricsServer).port}${path}`);
    return {
      status: answer.status,
      contentType: String(answer.headers.get('content-type')),
      body: await answer.text(),
    };
  }

  it('boots with its real module and answers live, ready, and metrics on its internal port', async () => {
    await expectHealthyProbes(booted.sut, internal);
  });

  it('does not serve /metrics on its public port, and serves nothing else on the internal one', async () => {
    const outside = await booted.sut.get('/metrics');
    expect(outside.status).toBe(404);
    expect(outside.body).not.toContain('process_cpu_user_seconds_total');
    expect((await internal('/v1/tenant')).status).toBe(404);
    expect((await internal('/health/ready')).status).toBe(404);
  });

  it('times each response by route pattern and status class: no id or unknown URL becomes a series', async () => {
    const id = randomUUID();
    expect((await booted.sut.get(`/v1/alerts/${id}`)).status).toBe(401);
    expect((await booted.sut.get(`/no-such-page-${id}`)).status).toBe(404);

    const metrics = (await internal('/metrics')).body;

    const series = 'shelfwatch_http_server_request_duration_seconds_count';
    expect(metrics).toMatch(new RegExp(`${series}\\{method="GET",route="/v1/alerts/:id",status_class="4xx"\\} [1-9]`));
    expect(metrics).toMatch(new RegExp(`${series}\\{method="GET",route="unmatched",status_class="4xx"\\} [1-9]`));
    expect(metrics).not.toContain(id);
  });
});
