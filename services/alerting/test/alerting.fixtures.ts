import { randomUUID } from 'node:crypto';
import { EventData, EventEnvelope, EventType, STREAMS, Standing, buildEvent } from '@shelfwatch/contracts';
import { readStream } from '@shelfwatch/testing';
import { TestEnvironment } from '../../../libs/platform/test/service-harness';
import { HostResolver } from '../src/webhooks/webhook-target';

/** A resolver answering from a table the test may change at any time (rebinding); unknown names fail. */
export function tableResolver(table: Map<string, string[]>): HostResolver {
  return {
    resolve: (host) => {
      const answer = table.get(host);
      return answer
        ? Promise.resolve(answer)
        : Promise.reject(Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' }));
    },
  };
}

/** Publishes an event of a tenant to its stream, as the service that owns it would. */
export async function publish<T extends EventType>(
  environment: TestEnvironment,
  tenantId: string,
  type: T,
  data: EventData<T>,
  occurredAt = new Date(),
): Promise<EventEnvelope<T>> {
  const { nats } = environment;
  const event = buildEvent(
    type,
    data,
    { tenantId, correlationId: randomUUID(), causationId: null },
    {
      id: randomUUID(),
      occurredAt,
    },
  );
  await nats.js.publish(nats.topology.subject(type), JSON.stringify(event), { msgID: event.id });
  return event;
}

/** A standing of one of my products: my price against the cheapest competitor's. */
export function aStanding(
  productId: string,
  myPrice: number,
  lowest: number,
  overrides: Partial<Standing> = {},
): Standing {
  return {
    productId,
    rank: 5,
    previousRank: 5,
    change: 0,
    myPrice,
    priceSource: 'catalog' as const,
    observedMall: null,
    catalogPrice: null,
    currency: 'KRW',
    otherCurrencyCompetitors: 0,
    lowestCompetitorPrice: lowest,
    lowestCompetitor: { externalId: 'competitor-1', mall: 'Cheap Mall', rank: 2 },
    ...overrides,
  };
}

/** The data of a `ranking.recorded` of a keyword at `recordedAt`. */
export function recordedData(
  keywordId: string,
  standings: Standing[],
  recordedAt: Date,
  crawledAt: Date | undefined = recordedAt,
): EventData<'ranking.recorded'> {
  return {
    crawlId: randomUUID(),
    keywordId,
    recordedAt: recordedAt.toISOString(),
    ...(crawledAt ? { crawledAt: crawledAt.toISOString() } : {}),
    orderFidelity: 'exact',
    entries: [],
    standings,
  };
}

/** Alert events of one type of a tenant, in stream order. */
export async function alertEvents<T extends 'alert.raised' | 'alert.acknowledged' | 'alert.resolved'>(
  environment: TestEnvironment,
  tenantId: string,
  type: T,
): Promise<EventEnvelope<T>[]> {
  const { nats } = environment;
  const messages = await readStream(nats, nats.topology.streamName(STREAMS.ALERT), nats.topology.subject(type));
  return messages.map((m) => m.json<EventEnvelope<T>>()).filter((event) => event.tenantId === tenantId);
}

/** Good default rules for tests: undercut by at least 100, product missing; nothing else. */
export function undercutRules(tenantId: string, cooldownMinutes = 60) {
  return {
    tenantId,
    defaults: {
      priceUndercut: { enabled: true, minPercent: null, minAmount: 100 },
      rankDrop: { enabled: false, minPlaces: 5, topK: null },
      productMissing: { enabled: true },
      newCompetitor: { enabled: false, topN: 10 },
      cooldownMinutes,
    },
    overrides: [],
  };
}
