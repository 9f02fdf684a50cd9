import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { MarketplaceBreakerState } from '@shelfwatch/contracts';
import { freshEm } from '@shelfwatch/persistence';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { MarketplaceClient } from '../marketplace-client';
import { MARKETPLACE_CLIENTS } from '../marketplace-clients';

/** How often a replica says its breakers again; a row not refreshed for {@link LIVE_FOR_SECONDS} is a gone replica's. */
const REFRESH_MS = 10_000;
const LIVE_FOR_SECONDS = 30;

/**
 * Makes the breaker state deployment-wide: each replica records its breaker of every marketplace in
 * `crawler.marketplace_breakers` at every transition and every {@link REFRESH_MS}; a marketplace's breaker is
 * `open` when any live replica's is. Times are the database's, so replicas' clocks never disagree.
 */
@Injectable()
export class MarketplaceBreakers implements OnModuleInit, OnModuleDestroy {
  private readonly instanceId = randomUUID();
  private readonly logger: Logger;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly orm: MikroORM,
    @Inject(MARKETPLACE_CLIENTS) private readonly clients: ReadonlyMap<string, MarketplaceClient>,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: MarketplaceBreakers.name });
    this.loop = new BackgroundLoop({
      name: 'marketplace breaker refresh',
      intervalMs: REFRESH_MS,
      body: () => this.refresh(),
      logger: this.logger,
    });
  }

  onModuleInit(): void {
    for (const [marketplace, client] of this.clients) {
      this.unsubscribe.push(client.onBreakerStateChange((state) => void this.record(marketplace, state)));
    }
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    this.unsubscribe.forEach((unsubscribe) => unsubscribe());
    // A stopped replica's breaker no longer counts (it would stop counting after LIVE_FOR_SECONDS anyway).
    await freshEm(this.orm)
      .execute('delete from crawler.marketplace_breakers where instance_id = ?', [this.instanceId])
      .catch(() => undefined);
  }

  /** The deployment's breaker of a marketplace: this replica's, or `open` when any live replica's is. */
  async state(em: EntityManager, marketplace: string): Promise<MarketplaceBreakerState> {
    const local = this.clients.get(marketplace)?.status().breaker ?? 'closed';
    if (local === 'open') {
      return local;
    }
    const [row] = await em.execute<{ open: boolean }[]>(
      `select exists (select 1 from crawler.marketplace_breakers
                       where marketplace = ? and state = 'open' and seen_at > now() - make_interval(secs => ?)) as open`,
      [marketplace, LIVE_FOR_SECONDS],
    );
    return row?.open ? 'open' : local;
  }

  private async refresh(): Promise<void> {
    for (const [marketplace, client] of this.clients) {
      await this.record(marketplace, client.status().breaker);
    }
    await freshEm(this.orm)
      .execute(`delete from crawler.marketplace_breakers where seen_at < now() - interval '1 day'`)
      .catch(() => undefined);
  }

  private async record(marketplace: string, state: MarketplaceBreakerState): Promise<void> {
    try {
      await freshEm(this.orm).execute(
        `insert into crawler.marketplace_breakers (marketplace, instance_id, state, seen_at) values (?, ?, ?, now())
         on conflict (marketplace, instance_id) do update set state = excluded.state, seen_at = excluded.seen_at`,
        [marketplace, this.instanceId, state],
      );
    } catch (error) {
      // Status then shows this replica's own breaker only; the next refresh tries again.
      this.logger.warn(`could not record the ${marketplace} breaker: ${String(error)}`);
    }
  }
}
