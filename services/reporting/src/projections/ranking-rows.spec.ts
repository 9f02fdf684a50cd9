import { EventEnvelope, Standing, buildEvent, rankingEntrySchema } from '@shelfwatch/contracts';
import { recordedRows } from './ranking-rows';

const TENANT = '6f1c2a3b-4d5e-4f60-8a7b-8c9d0e1f2a3b';
const KEYWORD = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const PRODUCT = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';

function standing(rank: number | null, myPrice: number, lowest: number | null): Standing {
  return {
    productId: PRODUCT,
    rank,
    previousRank: null,
    change: null,
    myPrice,
    priceSource: 'catalog',
    observedMall: null,
    catalogPrice: myPrice,
    currency: 'KRW',
    lowestCompetitorPrice: lowest,
    otherCurrencyCompetitors: 0,
    lowestCompetitor: null,
  };
}

/** A recorded crawl of the one product at `recordedAt` (crawl id and event id numbered by `n`). */
function crawl(n: number, recordedAt: string, s: Standing, brand = 'Acme'): EventEnvelope<'ranking.recorded'> {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const entries = [
    rankingEntrySchema.parse({
      rank: 1,
      externalId: 'e1',
      productId: null,
      mall: 'm',
      brand,
      price: 1,
      excluded: false,
    }),
  ];
  const data = {
    crawlId: id,
    keywordId: KEYWORD,
    recordedAt,
    orderFidelity: 'exact' as const,
    entries,
    standings: [s],
  };
  return buildEvent(
    'ranking.recorded',
    data,
    { tenantId: TENANT, correlationId: id, causationId: null },
    {
      id,
      occurredAt: new Date(recordedAt),
    },
  );
}

describe('recordedRows', () => {
  it('folds crawls of one bucket as the upserts would apply them one after the other', () => {
    // Given three crawls in the 10:00 hour, the latest arriving first and an absent rank in between
    const rows = recordedRows([
      crawl(1, '2026-12-01T10:40:00.000Z', standing(7, 1_200, 900)),
      crawl(2, '2026-12-01T10:10:00.000Z', standing(3, 1_100, null)),
      crawl(3, '2026-12-01T10:20:00.000Z', standing(null, 1_000, 950), 'Bolt'),
    ]);
    // Then one hourly row: samples summed, min/max skip the absent rank, the last columns follow 10:40
    expect(rows.hourly).toHaveLength(1);
    expect(rows.hourly[0]).toMatchObject({
      bucket: '2026-12-01T10:00:00.000Z',
      samples: 3,
      rank_min: 3,
      rank_max: 7,
      rank_last: 7,
      my_price: 1_200,
      last_at: '2026-12-01T10:40:00.000Z',
      competitor_min: 900,
    });
    expect(rows.daily).toHaveLength(1);
    // And the latest rank is the newest crawl's; brand slots add up per rank and brand
    expect(rows.latest).toEqual([
      { product_id: PRODUCT, keyword_id: KEYWORD, tenant_id: TENANT, rank: 7, at: '2026-12-01T10:40:00.000Z' },
    ]);
    expect(rows.slots.map((s) => [s.brand, s.slots])).toEqual([
      ['Acme', 2],
      ['Bolt', 1],
    ]);
  });

  it('keeps the earlier crawl on a tie of recorded times, as the strict comparison of the upsert does', () => {
    const rows = recordedRows([
      crawl(1, '2026-12-01T10:40:00.000Z', standing(4, 1_000, null)),
      crawl(2, '2026-12-01T10:40:00.000Z', standing(9, 2_000, null)),
    ]);
    expect(rows.hourly[0]).toMatchObject({ rank_last: 4, my_price: 1_000, samples: 2 });
    expect(rows.latest[0]?.rank).toBe(4);
  });
});
