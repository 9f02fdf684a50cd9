import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '@shelfwatch/persistence';
import { CrawlStatus, CrawlStore } from '../src/crawls/crawl.store';
import { crawlerPersistence } from '../src/crawler.persistence';
import { TestEnvironment, createTestEnvironment } from '../../../libs/platform/test/service-harness';

/** The n-th crawl id in creation order (UUIDv7 ids sort by creation time; these sort by n). */
function crawlId(n: number): string {
  return `0190c000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

/** `crawler.crawl.list` on the real Postgres: newest first, filtered, paged by cursor, counted. */
describe('crawl runs list', () => {
  let environment: TestEnvironment;
  let orm: MikroORM;
  const store = new CrawlStore();
  const tenantId = randomUUID();
  const keywords = [randomUUID(), randomUUID()];
  const other = { tenantId: randomUUID(), keywordId: randomUUID() };

  beforeAll(async () => {
    environment = await createTestEnvironment([crawlerPersistence]);
    orm = await MikroORM.init(ormOptions(crawlerPersistence, environment.db.adminUrl, 4));
    const em = orm.em.fork();
    for (const [tenant, keywordId] of [...keywords.map((id) => [tenantId, id]), [other.tenantId, other.keywordId]]) {
      await em.execute(
        `insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at)
         values (?, ?, 'naver', 'earbuds', 60, now() + interval '1 day')`,
        [keywordId, tenant],
        'run',
      );
    }
    // Runs 1..7 of the tenant on alternate keywords, every third one failed and the others completed (a keyword
    // has one active run at most); run 8 is another tenant's.
    for (let n = 1; n <= 7; n++) {
      await insertRun(n, tenantId, keywords[n % 2] ?? '', n % 3 === 0 ? 'failed' : 'completed');
    }
    await insertRun(8, other.tenantId, other.keywordId, 'completed');
  });

  afterAll(async () => {
    await orm?.close();
    await environment?.cleanup();
  });

  async function insertRun(n: number, tenant: string, keywordId: string, status: CrawlStatus): Promise<void> {
    const em = orm.em.fork();
    await store.insertRequested(em, {
      crawlId: crawlId(n),
      tenantId: tenant,
      keywordId,
      trigger: 'manual',
      requestedAt: new Date('2026-12-01T00:00:00Z'),
      correlationId: randomUUID(),
      traceparent: null,
    });
    await em.execute('update crawler.crawl_runs set status = ? where crawl_id = ?', [status, crawlId(n)], 'run');
  }

  /** The crawl ids of every page, following `nextCursor`, and the totals the pages answered. */
  async function readAll(filter: { status?: CrawlStatus; keywordId?: string }, limit: number) {
    const pages: string[][] = [];
    const totals: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listRuns(orm.em.fork(), { tenantId, ...filter, limit, cursor });
      pages.push(page.items.map((run) => run.crawlId));
      totals.push(page.total);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { pages, totals };
  }

  it("pages through the tenant's runs newest first, each once, with the tenant's total on every page", async () => {
    expect(await readAll({}, 3)).toEqual({
      pages: [[crawlId(7), crawlId(6), crawlId(5)], [crawlId(4), crawlId(3), crawlId(2)], [crawlId(1)]],
      totals: [7, 7, 7],
    });
  });

  it('filters by status and by keyword, the total counting the filter', async () => {
    expect(await readAll({ status: 'failed' }, 1)).toEqual({
      pages: [[crawlId(6)], [crawlId(3)]],
      totals: [2, 2],
    });
    expect(await readAll({ keywordId: keywords[1], status: 'completed' }, 5)).toEqual({
      pages: [[crawlId(7), crawlId(5), crawlId(1)]],
      totals: [3],
    });
  });
});
