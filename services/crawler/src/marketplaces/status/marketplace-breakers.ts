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
import { MarketplaceStatusStore } from './marketplace-status.store';

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
    private readonly store: MarketplaceStatusStore,
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
    await this.store.forgetBreakers(freshEm(this.orm), this.instanceId).catch(() => undefined);
  }

  /** The deployment's breaker of a marketplace: this replica's, or `open` when any live replica's is. */
  async state(em: EntityManager, marketplace: string): Promise<MarketplaceBreakerState> {
    const local = this.clients.get(marketplace)?.status().breaker ?? 'closed';
    if (local === 'open') {
      return local;
    }
    return (await this.store.anyBreakerOpen(em, marketplace, LIVE_FOR_SECONDS)) ? 'open' : local;
  }

  private async refresh(): Promise<void> {
    for (const [marketplace, client] of this.clients) {
      await this.record(marketplace, client.status().breaker);
    }
    await this.store.pruneBreakers(freshEm(this.orm)).catch(() => undefined);
  }

  private async record(marketplace: string, state: MarketplaceBreakerState): Promise<void> {
    try {
      await this.store.recordBreaker(freshEm(this.orm), marketplace, this.instanceId, state);
    } catch (error) {
      // Status then shows this replica's own breaker only; the next refresh tries again.
      this.logger.warn(`could not record the ${marketplace} breaker: ${String(error)}`);
    }
  }
}
