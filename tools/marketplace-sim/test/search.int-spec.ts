import { groundTruth } from '../src/ground-truth';
import { RunningSimulator, startSimulator } from '../src/simulator';
import { TruthItem } from '../src/ground-truth';
import { NaverSearchResponse } from '../src/naver-format';
import { AUTH, control, search, searchPage } from './http';

const PINNED = '2026-03-02T01:07:00.000Z';

describe('marketplace simulator: Naver Shopping search contract over HTTP', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await control(sim, 'reset', {});
    await control(sim, 'clock', { now: PINNED });
  });

  it('answers a search in Naver shape, with strings for prices, ids and types, and <b> around matches', async () => {
    const body = await searchPage(sim, { query: 'wireless earbuds', display: '5' });
    expect(body.lastBuildDate).toBe('Mon, 02 Mar 2026 10:07:00 +0900');
    expect(body).toMatchObject({ start: 1, display: 5 });
    expect(body.items).toHaveLength(5);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(
        ['brand', 'category1', 'category2', 'category3', 'category4', 'hprice', 'image', 'link', 'lprice']
          .concat(['maker', 'mallName', 'productId', 'productType', 'title'])
          .sort(),
      );
      expect(item.title).toContain('<b>wireless</b> <b>earbuds</b>');
      expect(item.lprice).toMatch(/^(\d+)?$/u);
      expect(item.hprice).toMatch(/^(\d+)?$/u);
      expect(item.productType).toMatch(/^([1-9]|1[0-2])$/u);
    }
  });

  it('pages through the whole reachable shelf exactly as the ground truth of that moment', async () => {
    const truth = groundTruth(42, 'camping chair', new Date(PINNED));
    const crawled: { productId: string; title: string; lprice: number }[] = [];
    for (let start = 1; start <= Math.min(truth.length, 1000); start += 100) {
      const body = await searchPage(sim, { query: 'camping chair', display: '100', start: String(start) });
      expect(body.total).toBe(truth.length);
      for (const item of body.items) {
        crawled.push({
          productId: item.productId,
          title: item.title.replace(/<\/?b>/gu, ''),
          lprice: Number(item.lprice),
        });
      }
    }
    const expected = truth
      .slice(0, crawled.length)
      .map(({ productId, title, lprice }) => ({ productId, title, lprice }));
    expect(crawled).toEqual(expected);
    expect(crawled.length).toBe(Math.min(truth.length, 1099));
  });

  it('serves the same ground truth at /_sim/truth, defaulting to simulated now', async () => {
    const { body } = await control<{ at: string; items: TruthItem[] }>(
      sim,
      `truth?${new URLSearchParams({ query: 'desk lamp' }).toString()}`,
    );
    expect(body.at).toBe(PINNED);
    expect(body.items).toEqual(JSON.parse(JSON.stringify(groundTruth(42, 'desk lamp', new Date(PINNED)))));
    const later = await control<{ at: string; items: TruthItem[] }>(
      sim,
      `truth?query=desk%20lamp&at=2026-03-03T01:07:00Z&sort=asc`,
    );
    expect(later.body.items[0]?.productId).toBe(
      groundTruth(42, 'desk lamp', new Date('2026-03-03T01:07:00Z'), 'asc')[0]?.productId,
    );
  });

  it.each([
    [{}, 'SE01', 'Incorrect query request (잘못된 쿼리요청입니다.)'],
    [{ query: 'a', display: '101' }, 'SE02', 'Invalid display value (부적절한 display 값입니다.)'],
    [{ query: 'a', start: '1001' }, 'SE03', 'Invalid start value (부적절한 start 값입니다.)'],
    [{ query: 'a', sort: 'price' }, 'SE04', 'Invalid sort value (부적절한 sort 값입니다.)'],
  ])("rejects %j with 400 %s and Naver's body", async (params, errorCode, errorMessage) => {
    expect(await search(sim, params)).toEqual({ status: 400, body: { errorCode, errorMessage } });
  });

  it('answers an unknown search API with 404 SE05', async () => {
    const { status, body } = await search(sim, { query: 'a' }, AUTH, '/v1/search/nothing.json');
    expect(status).toBe(404);
    expect(body.errorCode).toBe('SE05');
  });

  it('refuses a request without client id or secret with 401 024', async () => {
    const noId = await search(sim, { query: 'a' }, { 'X-Naver-Client-Secret': 's' });
    expect(noId.status).toBe(401);
    expect(noId.body).toEqual({
      errorCode: '024',
      errorMessage: 'Not Exist Client ID : Authentication failed. (인증에 실패했습니다.)',
    });
    const noSecret = await search(sim, { query: 'a' }, { 'X-Naver-Client-Id': 'c' });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.errorMessage).toContain('Authentication failed.');
  });

  it('moves the shelf when simulated time moves', async () => {
    const before = await searchPage(sim, { query: 'wireless earbuds', display: '100' });
    await control(sim, 'clock', { now: '2026-03-03T01:07:00.000Z' });
    const after = await searchPage(sim, { query: 'wireless earbuds', display: '100' });
    const ids = (page: NaverSearchResponse): string[] => page.items.map((item) => item.productId);
    expect(ids(after)).not.toEqual(ids(before));
    expect(after.lastBuildDate).toBe('Tue, 03 Mar 2026 10:07:00 +0900');
  });
});
