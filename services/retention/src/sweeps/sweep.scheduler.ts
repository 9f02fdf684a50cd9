import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_TENANT_ID } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, OutboxWriter } from '@shelfwatch/messaging';
import { Logger } from 'pino';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { PoliciesStore } from '../policies/policies.store';
import {
  PolicyOverride,
  RetentionDefaults,
  planPurges,
  streamMaxAges,
  sweepPeriod,
} from '../policies/retention-policy';
import { RETENTION_DEFAULTS, RETENTION_MAX_DAYS, SWEEP_OPTIONS, SweepOptions } from '../retention.tokens';
import { StreamAges } from './stream-ages';
import { SweepsStore } from './sweeps.store';

/**
 * Starts one sweep per period across every replica: each replica checks at start and `checkMs` after each check;
 * the first to insert the period's row asks every owner, through the outbox, to purge what its policy lets go.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;
  private readonly logger: Logger;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxWriter,
    private readonly streamAges: StreamAges,
    private readonly policies: PoliciesStore,
    private readonly sweeps: SweepsStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(RETENTION_DEFAULTS) private readonly defaults: RetentionDefaults,
    @Inject(RETENTION_MAX_DAYS) private readonly maxDays: number,
    @Inject(SWEEP_OPTIONS) private readonly options: SweepOptions,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: SweepScheduler.name });
    this.loop = new BackgroundLoop({
      name: 'retention sweep',
      intervalMs: options.checkMs,
      body: () => this.check(),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    if (this.options.enabled) {
      this.loop.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One check: the period's sweep if it is due, else the stream ages again (provisioning at a restart resets them). */
  private async check(): Promise<void> {
    if ((await this.runDue()) === null) {
      await this.applyStreamAges(await this.policies.all(freshEm(this.em)));
    }
  }

  /** Starts the sweep of the period `now` falls in unless it exists; answers its id when this call started it. */
  async runDue(now: Date = this.clock.now()): Promise<string | null> {
    const sweepId = this.ids.next();
    const started = await inTransaction(this.em, async (em) => {
      if (!(await this.sweeps.claim(em, sweepId, sweepPeriod(now, this.options.intervalMs), now))) {
        return null;
      }
      const overrides = await this.policies.all(em);
      const plans = planPurges(now, this.defaults, overrides);
      for (const plan of plans) {
        await this.sweeps.addKind(em, sweepId, plan);
      }
      const origin = { tenantId: SYSTEM_TENANT_ID, correlationId: sweepId, causationId: null };
      await this.outbox.appendMany(
        em,
        plans.map((plan) => ({
          type: 'retention.purge.requested' as const,
          origin,
          aggregateKey: plan.dataKind,
          data: {
            sweepId,
            dataKind: plan.dataKind,
            cutoff: plan.cutoff.toISOString(),
            tenantCutoffs: plan.tenantCutoffs.map((t) => ({ tenantId: t.tenantId, cutoff: t.cutoff.toISOString() })),
            batchSize: this.options.batchSize,
            pauseMs: this.options.pauseMs,
          },
        })),
      );
      return overrides;
    });
    if (started === null) {
      return null;
    }
    this.logger.info({ sweepId }, 'retention sweep requested');
    await this.applyStreamAges(started);
    return sweepId;
  }

  private async applyStreamAges(overrides: PolicyOverride[]): Promise<void> {
    if (!this.options.applyStreamAges) {
      return;
    }
    try {
      const changed = await this.streamAges.apply(streamMaxAges(this.defaults, overrides, this.maxDays));
      if (changed.length > 0) {
        this.logger.info({ streams: changed }, 'stream max ages follow the retention policies');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not apply stream max ages; next sweep retries');
    }
  }
}
