import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { waitUntil } from './probe';

/** The demo seller's search terms: one product of each shelf becomes the seller's own. */
export const DEMO_KEYWORDS = ['wireless earbuds', 'running shoes', 'coffee beans'] as const;

/** Which rank of the simulator's shelf the demo seller's product holds when created. */
const DEMO_PRODUCT_RANK = 4;

const demoStateSchema = z.object({
  tenantId: z.string(),
  apiKey: z.string(),
  products: z.array(z.object({ id: z.string(), keywords: z.array(z.object({ id: z.string(), keyword: z.string() })) })),
});

/** What `.data/demo.json` remembers across restarts: the tenant, its key (shown once by the API), its products. */
export type DemoState = z.infer<typeof demoStateSchema>;

const tenantCreated = z.object({ id: z.string(), apiKey: z.string() });
const productCreated = z.object({
  id: z.string(),
  keywords: z.array(z.object({ keywordId: z.string(), keyword: z.string() })),
});
const truth = z.object({
  items: z.array(z.object({ productId: z.string(), title: z.string(), lprice: z.number(), rank: z.number() })),
});
const latest = z.object({
  crawl: z.object({ crawlId: z.string() }).nullable(),
  standings: z.array(z.object({ productId: z.string(), rank: z.number().nullable() })),
  entries: z.array(z.unknown()),
});

/** The gateway said something the demo cannot go on with. */
export class DemoError extends Error {}

/** Where the demo talks to. */
export interface DemoTarget {
  gatewayUrl: string;
  simUrl: string;
  adminApiKey: string;
  /** `.data/demo.json`. */
  stateFile: string;
  print: (line: string) => void;
}

interface Answer {
  status: number;
  body: unknown;
}

async function call(url: string, init: { method?: string; key?: string; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body };
}

/** The answer's body parsed with `schema` when its status is `expected`, else a {@link DemoError} saying why. */
function answerOf<T>(answer: Answer, expected: number, what: string, schema: z.ZodType<T>): T {
  if (answer.status !== expected) {
    const detail = JSON.stringify(answer.body).slice(0, 300);
    throw new DemoError(`${what} answered ${answer.status} (expected ${expected}): ${detail}`);
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    throw new DemoError(`${what} answered an unexpected body: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return parsed.data;
}

function readState(file: string): DemoState | null {
  try {
    const parsed = demoStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The demo tenant: the one `.data/demo.json` remembers when the gateway still accepts its key, else a new one
 * made through the REST API (`POST /v1/tenants` with the admin key, then `POST /v1/products` with keywords),
 * whose first crawl is requested at once (`POST /v1/crawls`) rather than when the schedule gets to it.
 */
export async function ensureDemoTenant(target: DemoTarget): Promise<{ state: DemoState; created: boolean }> {
  const saved = readState(target.stateFile);
  if (saved) {
    const check = await call(`${target.gatewayUrl}/v1/products?limit=1`, { key: saved.apiKey });
    if (check.status === 200) {
      return { state: saved, created: false };
    }
    target.print(`demo: the saved demo tenant is unknown to this database (${check.status}); creating a new one`);
  }
  const tenant = answerOf(
    await call(`${target.gatewayUrl}/v1/tenants`, {
      method: 'POST',
      key: target.adminApiKey,
      body: { name: 'Demo seller' },
    }),
    201,
    'POST /v1/tenants',
    tenantCreated,
  );
  const state: DemoState = { tenantId: tenant.id, apiKey: tenant.apiKey, products: [] };
  for (const keyword of DEMO_KEYWORDS) {
    const shelf = answerOf(
      await call(`${target.simUrl}/_sim/truth?query=${encodeURIComponent(keyword)}`),
      200,
      'the simulator',
      truth,
    );
    // A product with a price (price-less listings exist on the shelf too), at or below the chosen rank.
    const item = shelf.items.slice(DEMO_PRODUCT_RANK - 1).find((candidate) => candidate.lprice > 0);
    if (!item) {
      throw new DemoError(`the simulator has no shelf for "${keyword}"`);
    }
    const product = answerOf(
      await call(`${target.gatewayUrl}/v1/products`, {
        method: 'POST',
        key: tenant.apiKey,
        body: {
          marketplace: 'naver',
          externalId: item.productId,
          name: item.title,
          price: item.lprice,
          keywords: [keyword],
        },
      }),
      201,
      'POST /v1/products',
      productCreated,
    );
    state.products.push({
      id: product.id,
      keywords: product.keywords.map((link) => ({ id: link.keywordId, keyword: link.keyword })),
    });
  }
  // Kept before crawling: the key is shown once by the API, so losing it would orphan the tenant.
  writeFileSync(target.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  for (const product of state.products) {
    answerOf(
      await call(`${target.gatewayUrl}/v1/crawls`, {
        method: 'POST',
        key: state.apiKey,
        body: { productId: product.id },
      }),
      202,
      'POST /v1/crawls',
      z.unknown(),
    );
  }
  return { state, created: true };
}

/** One line per keyword once its first crawl is recorded: where the demo product stands, and the shelf size. */
export async function reportFirstRankings(target: DemoTarget, state: DemoState, timeoutMs: number): Promise<boolean> {
  const keywords = state.products.flatMap((product) => product.keywords);
  const pending = new Map(keywords.map((keyword) => [keyword.id, keyword.keyword]));
  const started = Date.now();
  const done = await waitUntil(
    async () => {
      for (const [keywordId, keyword] of [...pending]) {
        const answer = await call(`${target.gatewayUrl}/v1/keywords/${keywordId}/rankings/latest`, {
          key: state.apiKey,
        });
        const view = answer.status === 200 ? latest.safeParse(answer.body) : null;
        if (view?.success && view.data.crawl) {
          pending.delete(keywordId);
          const ranks = view.data.standings.map((standing) =>
            standing.rank === null ? 'not found' : `#${standing.rank}`,
          );
          target.print(
            `demo: "${keyword}" crawled after ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
              `demo product ${ranks.join(', ')} of ${view.data.entries.length} results`,
          );
        }
      }
      return pending.size === 0;
    },
    timeoutMs,
    1_000,
  );
  return done;
}
