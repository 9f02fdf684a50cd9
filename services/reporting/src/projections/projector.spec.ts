import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, buildEvent } from '@shelfwatch/contracts';
import { CacheVersionsStore } from '../cache/cache-versions.store';
import { PurgeWatermarksStore } from '../retention/purge-watermarks.store';
import { Projector } from './projector';

function crawlStarted(tenantId: string) {
  const data: EventData<'crawl.started'> = {
    crawlId: randomUUID(),
    keywordId: randomUUID(),
    startedAt: '2026-12-03T10:00:00.000Z',
  };
  const origin = { tenantId, correlationId: randomUUID(), causationId: null };
  return buildEvent('crawl.started', data, origin, { id: randomUUID(), occurredAt: new Date(data.startedAt) });
}

/** An entity manager whose crawl-stage statement moves every crawl it is given: it answers each one's tenant. */
const changesEveryRow = {
  getKysely: () => ({
    executeQuery: (query: { parameters: readonly unknown[] }) =>
      Promise.resolve({ rows: (query.parameters[1] as string[]).map((tenantId) => ({ tenant_id: tenantId })) }),
  }),
} as unknown as EntityManager;

describe('Projector cache-version bumps', () => {
  it('bumps the tenants of a batch in one order whatever the events order (two batches cannot deadlock)', async () => {
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()].sort();
    const bumped: string[][] = [];
    const cacheVersions = {
      bump: (_em: EntityManager, tenantId: string) => {
        bumped.at(-1)?.push(tenantId);
        return Promise.resolve();
      },
    } as unknown as CacheVersionsStore;
    const projector = new Projector(cacheVersions, {} as PurgeWatermarksStore);

    // The reporting's consumers (one per stream) commit side by side: a batch that locked tenant B's versions
    // and waits for A's, beside one that locked A's and waits for B's, is a deadlock.
    for (const order of [
      [third, first, second],
      [second, third, first],
    ]) {
      bumped.push([]);
      await projector.projectAll(
        changesEveryRow,
        order.map((tenantId) => crawlStarted(tenantId ?? '')),
      );
    }
    expect(bumped).toEqual([
      [first, second, third],
      [first, second, third],
    ]);
  });
});
