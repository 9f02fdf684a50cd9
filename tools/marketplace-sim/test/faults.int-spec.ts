import { setTimeout as sleep } from 'node:timers/promises';
import { RunningSimulator, startSimulator } from '../src/simulator';
import { AUTH, control, search } from './http';

describe('marketplace simulator: switchable faults over HTTP', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42 });
  });
  afterAll(() => sim.close());
  beforeEach(() => control(sim, 'reset', {}));

  it('throttles beyond N requests per second per client id with 429 012, then recovers', async () => {
    await control(sim, 'faults', { throttlePerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(await search(sim, { query: 'desk' }));
    }
    expect(statuses.map((response) => response.status)).toEqual([200, 200, 429]);
    expect(statuses[2]?.body).toEqual({
      errorCode: '012',
      errorMessage: 'Rate limit exceeded. (속도 제한을 초과했습니다.)',
    });
    expect((await search(sim, { query: 'desk' }, { ...AUTH, 'X-Naver-Client-Id': 'other' })).status).toBe(200);
    await sleep(1_050);
    expect((await search(sim, { query: 'desk' })).status).toBe(200);
  });

  it('answers 429 010 with the count once the daily quota is spent, until the simulated day ends', async () => {
    await control(sim, 'clock', { now: '2026-03-02T10:00:00Z' });
    await control(sim, 'faults', { dailyQuota: 2 });
    await search(sim, { query: 'desk' });
    await search(sim, { query: 'desk' });
    expect(await search(sim, { query: 'desk' })).toEqual({
      status: 429,
      body: { errorCode: '010', errorMessage: '{count/quota=3/2} : Query limit exceeded. (쿼리 한도를 초과했습니다.)' },
    });
    await control(sim, 'clock', { now: '2026-03-02T15:00:00Z' });
    expect((await search(sim, { query: 'desk' })).status).toBe(200);
  });

  it('sends error bodies with HTTP 200 when errorsAs200 is on', async () => {
    await control(sim, 'faults', { errorsAs200: true, dailyQuota: 0 });
    const { status, body } = await search(sim, { query: 'desk' });
    expect(status).toBe(200);
    expect(body.errorCode).toBe('010');
  });

  it('answers 500 SE99 for every request at errorRate 1', async () => {
    await control(sim, 'faults', { errorRate: 1 });
    expect(await search(sim, { query: 'desk' })).toEqual({
      status: 500,
      body: { errorCode: 'SE99', errorMessage: 'System Error (시스템 에러)' },
    });
  });

  it('drops the connection during an outage, or answers 503, and serves again once it ends', async () => {
    await control(sim, 'faults', { outage: true });
    await expect(fetch(`${sim.url}/v1/search/shop.json?query=desk`, { headers: AUTH })).rejects.toThrow();
    await control(sim, 'faults', { outage: 'unavailable' });
    const unavailable = await fetch(`${sim.url}/v1/search/shop.json?query=desk`, { headers: AUTH });
    expect(unavailable.status).toBe(503);
    await unavailable.text();
    await control(sim, 'faults', { outage: false });
    expect((await search(sim, { query: 'desk' })).status).toBe(200);
  });

  it('adds the configured latency', async () => {
    await control(sim, 'faults', { latencyMs: 150 });
    const started = performance.now();
    await search(sim, { query: 'desk' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reports faults, rejects nonsense, and counts requests per client id and query', async () => {
    expect((await control(sim, 'faults', { errorRate: 7 })).status).toBe(400);
    expect((await control(sim, 'faults', { latencyMs: 0, dailyQuota: 1 })).body).toMatchObject({ dailyQuota: 1 });
    expect((await control(sim, 'faults')).body).toMatchObject({ dailyQuota: 1, outage: false });
    await search(sim, { query: 'Desk  Lamp', display: '100' });
    await search(sim, { query: 'desk lamp', start: '101' });
    await search(sim, { query: 'desk' }, {});
    const { body } = await control(sim, 'stats');
    expect(body).toEqual({
      total: 3,
      clients: {
        'test-client': { requests: 2, byStatus: { 200: 1, 429: 1 } },
        '(none)': { requests: 1, byStatus: { 401: 1 } },
      },
      queries: { 'desk lamp': 2, desk: 1 },
    });
  });
});
