import { randomUUID } from 'node:crypto';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { eventually, pause } from '@shelfwatch/testing';
import { suiteClient } from './infra';

/** How big the workload is: `keywords` keywords crawled `rounds` times each. */
export interface WorkloadSize {
  keywords: number;
  rounds: number;
}

/** What the workload did, for the checker: every crawl id it was given, and the tenant. */
export interface WorkloadRecord {
  tenantId: string;
  keywordIds: string[];
  crawlIds: string[];
  /** Crawls requested whose keyword was still being crawled (answered `already_running`, retried). */
  retriedRequests: number;
}

const TERMINAL = `status in ('completed', 'failed')`;

/**
 * A tenant's catalogue and rounds of manual crawls over it. Each round moves the simulator's clock an hour
 * so ranks and prices drift (rank changes, undercuts, alerts), requests one crawl per keyword and waits
 * until every crawl of the round has finished. Any call may meet a fault: each is retried until it lands.
 */
export class Workload {
  readonly record: WorkloadRecord = { tenantId: randomUUID(), keywordIds: [], crawlIds: [], retriedRequests: 0 };
  private round = -1;
  private readonly roundWaiters: { round: number; resolve: () => void }[] = [];

  constructor(
    private readonly rpc: RpcClient,
    private readonly databaseUrl: string,
    private readonly moveClock: (round: number) => void,
  ) {}

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
      const created = await retried(() =>
        this.rpc.request<{ keywords: { keywordId: string }[] }>('ranking.product.create', {
          tenantId: this.record.tenantId,
          marketplace: 'naver',
          externalId: `fault-product-${i}`,
          name: `fault product ${i}`,
          price: 20_000 + i * 100,
          keywords: [`fault keyword ${i}`],
        }),
      );
      this.record.keywordIds.push(...created.keywords.map((keyword) => keyword.keywordId));
      onCreated();
    }
  }

  async run(size: WorkloadSize, onRound: (round: number) => void): Promise<void> {
    for (let round = 0; round < size.rounds; round++) {
      this.moveClock(round);
      this.round = round;
      this.roundWaiters.filter((waiter) => waiter.round <= round).forEach((waiter) => waiter.resolve());
      const ids = await Promise.all(this.record.keywordIds.map((keywordId) => this.requestCrawl(keywordId)));
      this.record.crawlIds.push(...ids);
      await this.waitFinished(ids);
      onRound(round);
    }
  }

  private async requestCrawl(keywordId: string): Promise<string> {
    for (;;) {
      try {
        const answer = await this.rpc.request<{ crawlId: string }>(
          'crawler.crawl.request',
          { tenantId: this.record.tenantId, keywordId },
          5_000,
        );
        return answer.crawlId;
      } catch (error) {
        if (error instanceof RpcRemoteError && error.code === 'already_running') {
          this.record.retriedRequests++;
        }
        await pause(250);
      }
    }
  }

  /** Waits (through outages) until the crawler has finished every crawl in `ids`. */
  private async waitFinished(ids: string[]): Promise<void> {
    await eventually(
      async () => {
        const client = suiteClient(this.databaseUrl, { connectionTimeoutMillis: 2_000 });
        await client.connect();
        try {
          const { rows } = await client.query<{ open: string }>(
            `select count(*) as open from crawler.crawl_runs where crawl_id = any($1::uuid[]) and not (${TERMINAL})`,
            [ids],
          );
          if (Number(rows[0]?.open) > 0) {
            throw new Error(`${rows[0]?.open} crawls of the round still open`);
          }
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
