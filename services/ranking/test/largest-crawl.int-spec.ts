import { randomUUID } from 'node:crypto';
import { AVAILABILITIES, CrawlItem, rankingRecordedV1 } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import fc from 'fast-check';
import { ProductView } from '../src/catalog/products.service';
import { arrayLiteral } from '@shelfwatch/persistence';
import { EntryRow } from '../src/rankings/latest-ranking.query';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, eventsOn, publish, query } from './ranking.fixtures';

/** The deepest crawl the crawler sends: Naver, 11 pages of 100 (`CRAWL_MAX_PAGES` ≤ 11; `start` ≤ 1,000). */
const LARGEST_CRAWL = 1_100;
const MY_RANK = 778;

/** Titles whose text an array literal or a quoted statement could get wrong, and the longest one Naver sends. */
const TITLES = [
  '무선 이어폰 <b>블루투스</b> 5.3',
  '🎧 Earbuds 👍🏽 e\u0301',
  'NULL',
  '',
  'quote " and \\ backslash, {braces}, commas',
  ' leading and trailing spaces ',
  "line\nbreak\ttab 'single' ?",
  '긴'.repeat(1_000),
];

/** Shelf item `rank`: every field the contract allows, at its extremes, the nulls Naver and eBay send. */
function anExtremeItem(rank: number): CrawlItem {
  const sixth = rank % 6 === 0;
  return anItem(rank, rank === MY_RANK ? 'mine' : `ext-${rank}${rank % 50 === 0 ? '"{,}' : ''}`, {
    title: TITLES[rank % TITLES.length] ?? '',
    // `lprice: ""` parses to a null price; the largest numeric(14, 2) too
    price: rank % 7 === 0 ? null : rank === 2 ? 999_999_999_999.99 : rank * 10 + 0.25,
    mall: rank % 5 === 0 ? '' : `상점 ${rank % 13}`,
    brand: rank % 4 === 0 ? '' : 'Acme',
    currency: rank % 3 === 0 ? undefined : 'KRW',
    sellerId: sixth ? 's'.repeat(200) : null,
    availability: sixth ? (AVAILABILITIES[rank % AVAILABILITIES.length] ?? null) : undefined,
    reviewCount: sixth ? 2_147_483_647 : undefined,
    reviewRating: sixth ? (rank % 12 === 0 ? 0 : 4.99) : null,
    condition: sixth ? 'c'.repeat(100) : undefined,
    placement: rank % 9 === 0 ? 'sponsored' : undefined,
  });
}

/** The row a shelf item must be stored as, from the item alone. */
function expectedRow(item: CrawlItem, mine: ProductView): EntryRow {
  return {
    rank: item.rank,
    external_id: item.externalId,
    product_id: item.externalId === mine.externalId ? mine.id : null,
    title: item.title,
    mall: item.mall,
    price: item.price,
    brand: item.brand,
    excluded: item.mall === '상점 3',
    currency: item.currency ?? 'KRW',
    seller_id: item.sellerId ?? null,
    availability: item.availability ?? null,
    review_count: item.reviewCount ?? null,
    review_rating: item.reviewRating ?? null,
    placement: item.placement ?? 'organic',
    condition: item.condition ?? null,
  };
}

describe('the largest crawl is recorded completely and exactly', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();
  let mine: ProductView;

  beforeAll(async () => {
    sut = await bootRanking();
    mine = await sut.rpc.request<ProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'mine',
      name: 'My earbuds',
      price: 30_000,
      keywords: ['wireless earbuds'],
    });
    await sut.rpc.request('ranking.exclusion.add', { tenantId, kind: 'mall', value: '상점 3' });
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  it('stores every one of 1,100 rows field for field, nulls, unicode and maximum lengths included', async () => {
    // Given a Naver crawl of the deepest shelf the crawler reaches, split in two parts as a large result is
    const keywordId = mine.keywords[0]?.keywordId ?? '';
    const items = Array.from({ length: LARGEST_CRAWL }, (_, i) => anExtremeItem(i + 1));
    const first = aCrawlCompleted(tenantId, keywordId, items.slice(0, 550), { parts: 2, part: 1 });
    const crawlId = first.data.crawlId;
    const second = aCrawlCompleted(tenantId, keywordId, items.slice(550), { crawlId, parts: 2, part: 2 });
    // When both parts are delivered
    await publish(sut, second);
    await publish(sut, first);
    // Then the crawl is recorded with every row, each exactly the item it came from
    const recorded = await eventually(async () => {
      const [event] = (await eventsOn(sut, 'RANKING', 'ranking.recorded')).filter((e) => e.data.crawlId === crawlId);
      expect(event).toBeDefined();
      return rankingRecordedV1.parse(event?.data);
    });
    const rows = await query<EntryRow>(
      sut,
      `select rank, external_id, product_id, title, mall, price::float8 as price, brand, excluded, currency,
              seller_id, availability, review_count, review_rating::float8 as review_rating, placement, condition
         from ranking.ranking_rows where crawl_id = ? order by rank`,
      [crawlId],
    );
    expect(rows).toHaveLength(LARGEST_CRAWL);
    rows.forEach((row, index) => {
      const item = items[index];
      expect(item && expectedRow(item, mine)).toEqual(row);
    });
    // And the rows say what the event says, the crawl its size, my standing where I was
    expect(recorded.entries).toHaveLength(LARGEST_CRAWL);
    expect(recorded.entries.map((entry) => [entry.externalId, entry.price, entry.excluded])).toEqual(
      rows.map((row) => [row.external_id, row.price, row.excluded]),
    );
    const [crawl] = await query<{ item_count: number }>(
      sut,
      'select item_count from ranking.crawls where crawl_id = ?',
      [crawlId],
    );
    expect(crawl).toEqual({ item_count: LARGEST_CRAWL });
    const standings = await query<{ product_id: string; rank: number; my_price: number }>(
      sut,
      'select product_id, rank, my_price::float8 as my_price from ranking.standings where crawl_id = ?',
      [crawlId],
    );
    expect(standings).toEqual([{ product_id: mine.id, rank: MY_RANK, my_price: MY_RANK * 10 + 0.25 }]);
  });

  it('reads back any text and number written as an array literal, element for element', async () => {
    // Given any texts (Postgres text holds every character but NUL), the array syntax's own characters often; numbers; nulls
    const unit = fc.oneof(
      fc.constantFrom('"', '\\', ',', '{', '}', ' ', "'", '?', 'NULL', ''),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    const text = fc.option(fc.string({ unit }).map((value) => value.replaceAll('\0', '')));
    const number = fc.option(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { maxLength: 30 }),
        fc.array(number, { maxLength: 30 }),
        async (texts, numbers) => {
          // When written as array literals and unnested by Postgres
          const [read] = await query<{ texts: (string | null)[]; numbers: (number | null)[] }>(
            sut,
            `select array(select unnest(?::text[])) as texts, array(select unnest(?::integer[])) as numbers`,
            [arrayLiteral(texts), arrayLiteral(numbers)],
          );
          // Then every element comes back as it was, in order
          expect(read).toEqual({ texts, numbers });
        },
      ),
      { numRuns: 200 },
    );
  });
});
