import { randomUUID } from 'node:crypto';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { eventually, pause } from '@shelfwatch/testing';
import { suiteClient } from './infra';

/** How big the workload is: `keywords` keywords crawled `rounds` times each. */
export interface WorkloadSize {
  keywords: number;
  rounds: number;
}

/**
 * One crawl the workload requested, as the workload itself recorded it (never read back from the system): the
 * id the crawler answered, what it crawls, in which round (so at which simulated moment), and, for a
 * re-request of a crawl that failed, the crawl it repeats.
 */
export interface LedgerEntry {
  crawlId: string;
  keywordId: string;
  keywordText: string;
  round: number;
  /** The failed crawl this one re-requests; undefined for the round's first request of the keyword. */
  retryOf: string | undefined;
}

/** A product the workload created, with the one keyword it is tracked on. */
export interface SeededProduct {
  productId: string;
  externalId: string;
  keywordId: string;
  keywordText: string;
}

/** What the workload did, for the checker. */
export interface WorkloadRecord {
  tenantId: string;
  keywordIds: string[];
  products: SeededProduct[];
  /** Keyword id → the text searched (what the simulator's served log is keyed by). */
  keywordTexts: Map<string, string>;
  /** Every crawl requested, in request order. */
  ledger: LedgerEntry[];
  /** The simulated time of each round (ISO 8601), pinned while the round's crawls run. */
  roundClock: string[];
  /** Crawls requested whose keyword was still being crawled (answered `already_running`, retried). */
  retriedRequests: number;
}

/** Re-requests of a keyword's failed crawl within one round before the workload gives up (and the checker fails). */
const MAX_REREQUESTS = 5;
/** The first round's simulated time; each round is an hour later. */
const ROUND_ZERO_MS = Date.UTC(2026, 10, 22, 0);

/** The simulated time of `round`: the workload pins the simulator's clock there while the round runs. */
export function roundClock(round: number): string {
  return new Date(ROUND_ZERO_MS + round * 3_600_000).toISOString();
}

/**
 * A tenant's catalogue and rounds of manual crawls over it. Each round pins the simulator's clock an hour
 * later so ranks and prices drift (rank changes, undercuts, alerts), requests one crawl per keyword and waits
 * until every crawl of the round has finished. A crawl that failed (the crawler retries an attempt itself and
 * gives up after its attempts) is requested again in the same round, and the ledger links the two, so the
 * checker can tell a failure that a retry repaired from a lost crawl. Any call may meet a fault: each is
 * retried until it lands.
 */
export class Workload {
  readonly record: WorkloadRecord = {
    tenantId: randomUUID(),
    keywordIds: [],
    products: [],
    keywordTexts: new Map(),
    ledger: [],
    roundClock: [],
    retriedRequests: 0,
  };
  private round = -1;
  private readonly roundWaiters: { round: number; resolve: () => void }[] = [];

  constructor(
    private readonly rpc: RpcClient,
    private readonly databaseUrl: string,
    private readonly pinClock: (at: string) => void,
  ) {}

  /** Every crawl id the workload was given. */
  get crawlIds(): string[] {
    return this.record.ledger.map((entry) => entry.crawlId);
  }

  /** Resolves once round `round` has started (its crawls are being requested). */
  reachedRound(round: number): Promise<void> {
    if (this.round >= round) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.roundWaiters.push({ round, resolve }));
  }

  /** Creates one product per keyword; `onCreated` hears of each. */
  async seed(size: WorkloadSize, onCreated: () => void = () => undefined): Promise<void> {
    for (let i = 0; i < size.keywords; i++) {
      const text = `fault keyword ${i}`;
      const externalId = `fault-product-${i}`;
      const created = await retried(() =>
        this.rpc.request<{ id: string; keywords: { keywordId: string }[] }>('ranking.product.create', {
          tenantId: this.record.tenantId,
          marketplace: 'naver',
          externalId,
          name: `fault product ${i}`,
          price: 20_000 + i * 100,
          keywords: [text],
        }),
      );
      for (const { keywordId } of created.keywords) {
        this.record.keywordIds.push(keywordId);
        this.record.keywordTexts.set(keywordId, text);
        this.record.products.push({ productId: created.id, externalId, keywordId, keywordText: text });
      }
      onCreated();
    }
  }

  /**
   * Runs the rounds; `beforeRound` holds a round back until it resolves (the suite waits there for the previous
   * round's fault to end, so each fault meets the crawls of its own round rather than a workload that ran ahead).
   */
  async run(
    size: WorkloadSize,
    onRound: (round: number) => void,
    beforeRound: (round: number) => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    for (let round = 0; round < size.rounds; round++) {
      await beforeRound(round);
      const at = roundClock(round);
      this.pinClock(at);
      this.record.roundClock.push(at);
      this.round = round;
      this.roundWaiters.filter((waiter) => waiter.round <= round).forEach((waiter) => waiter.resolve());
      let pending = this.record.keywordIds.map((keywordId) => ({
        keywordId,
        retryOf: undefined as string | undefined,
      }));
      for (let attempt = 0; attempt <= MAX_REREQUESTS && pending.length > 0; attempt++) {
        const entries = await Promise.all(
          pending.map((crawl) => this.requestCrawl(crawl.keywordId, round, crawl.retryOf)),
        );
        const failed = await this.waitFinished(entries.map((entry) => entry.crawlId));
        pending = entries
          .filter((entry) => failed.has(entry.crawlId))
          .map((entry) => ({ keywordId: entry.keywordId, retryOf: entry.crawlId }));
      }
      onRound(round);
    }
  }

  private async requestCrawl(keywordId: string, round: number, retryOf: string | undefined): Promise<LedgerEntry> {
    for (;;) {
      try {
        const answer = await this.rpc.request<{ crawlId: string }>(
          'crawler.crawl.request',
          { tenantId: this.record.tenantId, keywordId },
          5_000,
        );
        const keywordText = this.record.keywordTexts.get(keywordId) ?? '';
        const entry = { crawlId: answer.crawlId, keywordId, keywordText, round, retryOf };
        this.record.ledger.push(entry);
        return entry;
      } catch (error) {
        if (error instanceof RpcRemoteError && error.code === 'already_running') {
          this.record.retriedRequests++;
        }
        await pause(250);
      }
    }
  }

  /** Waits (through outages) until the crawler has finished every crawl in `ids`; answers the ids that failed. */
  private async waitFinished(ids: string[]): Promise<Set<string>> {
    return eventually(
      async () => {
        const client = suiteClient(this.databaseUrl, { connectionTimeoutMillis: 2_000 });
        await client.connect();
        try {
          const { rows } = await client.query<{ crawl_id: string; status: string }>(
            `select crawl_id, status from crawler.crawl_runs where crawl_id = any($1::uuid[])`,
            [ids],
          );
          const open = ids.length - rows.filter((row) => ['completed', 'failed'].includes(row.status)).length;
          if (open > 0) {
            throw new Error(`${open} crawls of the round still open`);
          }
          return new Set(rows.filter((row) => row.status === 'failed').map((row) => row.crawl_id));
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      600_000,
      250,
    );
  }
}

/** Retries a call through outages until it answers (validation errors are bugs: they are thrown). */
async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof RpcRemoteError && error.code === 'invalid') {
        throw error;
      }
      await pause(250);
    }
  }
}
