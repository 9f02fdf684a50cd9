import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { CrawlItem, EventData, EventEnvelope, STREAMS, buildEvent } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, readStream } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../src/app.module';
import { RankingConfig, loadRankingConfig } from '../src/ranking.config';
import { rankingPersistence } from '../src/ranking.persistence';

/** The ranking booted in its own database and namespace, with a client on that namespace. */
export interface RankingUnderTest {
  booted: BootedService<RankingConfig>;
  rpc: RpcClient;
  orm: MikroORM;
}

/** Boots the ranking; `env` overrides variables (e.g. `RANKING_CONSUMER_BATCH_SIZE`). */
export async function bootRanking(env: Record<string, string> = {}): Promise<RankingUnderTest> {
  const booted = await bootInTestEnvironment(
    rankingPersistence,
    loadRankingConfig,
    (config, logger) => RankingAppModule.forConfig(config, logger),
    () => env,
  );
  const { nc, topology } = booted.environment.nats;
  return { booted, rpc: new CheckedRpcClient(nc, topology), orm: booted.sut.app.get(MikroORM) };
}

/** Every event of `type` on its stream, parsed. */
export async function eventsOn<T extends EventEnvelope['type']>(
  sut: RankingUnderTest,
  stream: 'TRACKING' | 'RANKING',
  type: T,
): Promise<EventEnvelope<T>[]> {
  const nats = sut.booted.environment.nats;
  const messages = await readStream(nats, nats.topology.streamName(STREAMS[stream]), nats.topology.subject(type));
  return messages.map((message) => message.json<EventEnvelope<T>>());
}

/** A shelf item; price and mall overridable. */
export function anItem(rank: number, externalId: string, overrides: Partial<CrawlItem> = {}): CrawlItem {
  return {
    rank,
    externalId,
    title: `Item ${externalId}`,
    mall: 'Some Mall',
    price: 5_000,
    brand: 'Acme',
    maker: 'Acme Works',
    category: 'Audio',
    link: `https://shop.example/${externalId}`,
    image: `https://img.example/${externalId}.jpg`,
    productType: '2',
    ...overrides,
  };
}

/** A `crawl.completed` of the tenant's keyword with these items. */
export function aCrawlCompleted(
  tenantId: string,
  keywordId: string,
  items: CrawlItem[],
  overrides: Partial<EventData<'crawl.completed'>> = {},
): EventEnvelope<'crawl.completed'> {
  const data = {
    crawlId: randomUUID(),
    keywordId,
    keyword: 'wireless earbuds',
    marketplace: 'naver',
    completedAt: '2026-11-22T10:00:00.000Z',
    pagesFetched: 1,
    part: 1,
    parts: 1,
    items,
    ...overrides,
  };
  const origin = { tenantId, correlationId: randomUUID(), causationId: null };
  return buildEvent('crawl.completed', data, origin, { id: randomUUID(), occurredAt: new Date(data.completedAt) });
}

/** Publishes an event on its subject; `msgID` defaults to the event id (as the relay does). */
export async function publish(sut: RankingUnderTest, event: EventEnvelope, msgID = event.id): Promise<void> {
  const nats = sut.booted.environment.nats;
  await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID });
}

/** Runs SQL against the service's schema. */
export function query<T>(sut: RankingUnderTest, sql: string, params: unknown[] = []): Promise<T[]> {
  return sut.orm.em.fork().execute<T[]>(sql, params);
}
