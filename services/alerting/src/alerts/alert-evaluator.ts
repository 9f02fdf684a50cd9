import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, Standing, causedBy, crawlTimeOf } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { alertingMetrics } from '../alerting.metrics';
import { TopCompetitors } from '../rules/alert-rules';
import { RulesService } from '../rules/rules.service';
import { AlertWriter } from './alert-writer';
import { AlertsStore } from './alerts.store';
import { againstPredecessor, alertKey, evaluateCrawl, isLatePredecessor, topCompetitors } from './crawl-evaluation';
import { REMEMBERED_RANKS, ShelvesStore } from './shelves.store';

/** A crawl to judge: which it is, when it was made, its standings and the shelves to compare. */
interface Judgement {
  crawlId: string;
  keywordId: string;
  crawledAt: Date;
  standings: readonly Standing[];
  top: TopCompetitors;
}

/**
 * Evaluates the rules on a successful crawl's recorded ranking, inside the handler's transaction, with a
 * fixed number of statements whatever the number of products:
 * 1. lock the keyword's shelf memory (crawls of one keyword are judged in crawl-time order, `crawledAt`, as
 *    ranking orders them);
 * 2. a crawl newer than the last judged one is judged: load the tenant's rules and the latest alert of every
 *    (rule, product) of the keyword, evaluate (pure), write raised and resolved alerts, their events and
 *    deliveries, remember the shelf;
 * 3. an older crawl that is the latest seen before the judged one (its predecessor, arrived late) has the judged
 *    crawl judged again against it, as ranking restates it; any other older crawl is ignored (docs/alerting.md,
 *    "Crawls that arrive out of order").
 * A failed crawl never gets here: `crawl.failed` produces no `ranking.recorded`.
 */
@Injectable()
export class AlertEvaluator {
  private readonly logger: Logger;

  constructor(
    private readonly shelves: ShelvesStore,
    private readonly rules: RulesService,
    private readonly alerts: AlertsStore,
    private readonly writer: AlertWriter,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: AlertEvaluator.name });
  }

  async onRecorded(event: EventEnvelope<'ranking.recorded'>, ctx: HandlerContext): Promise<void> {
    const { crawlId, keywordId, standings } = event.data;
    const crawledAt = new Date(crawlTimeOf(event.data));
    // 1.
    const memory = await this.shelves.lock(ctx.em, event.tenantId, keywordId);
    const top = topCompetitors(event.data.entries, REMEMBERED_RANKS);
    // 2.
    if (memory === null || memory.crawledAt.getTime() < crawledAt.getTime()) {
      const previous = memory === null ? null : memory.top;
      await this.judge(event, ctx, { crawlId, keywordId, crawledAt, standings, top: { previous, current: top } });
      const recordedAt = new Date(event.data.recordedAt);
      const previousCrawledAt = memory === null ? null : memory.crawledAt;
      await this.shelves.save(ctx.em, keywordId, { crawlId, crawledAt, recordedAt, top, standings, previousCrawledAt });
      return;
    }
    // 3.
    if (memory.standings !== null && isLatePredecessor(memory, crawledAt)) {
      await this.judge(event, ctx, {
        crawlId: memory.crawlId,
        keywordId,
        crawledAt: memory.crawledAt,
        standings: againstPredecessor(memory.standings, standings),
        top: { previous: top, current: memory.top },
      });
      await this.shelves.savePrevious(ctx.em, keywordId, crawledAt);
      this.logger.info({ crawlId, keywordId, judged: memory.crawlId }, 'late predecessor: latest crawl judged again');
      return;
    }
    this.logger.info(
      { crawlId, keywordId, tenantId: event.tenantId },
      'ranking older than the last evaluated one ignored',
    );
  }

  /** Evaluates one crawl of the keyword and writes what changes; `event` is the cause. */
  private async judge(event: EventEnvelope<'ranking.recorded'>, ctx: HandlerContext, judged: Judgement): Promise<void> {
    const { crawlId, keywordId, crawledAt } = judged;
    const tenantId = event.tenantId;
    const rules = await this.rules.rulesOf(ctx.em, tenantId);
    const latest = await this.alerts.latestPerKey(ctx.em, tenantId, keywordId);
    const evaluation = evaluateCrawl({
      crawledAt,
      rules,
      standings: judged.standings,
      top: judged.top,
      open: latest.open,
      lastRaisedAt: new Map(latest.lastRaised.map((l) => [alertKey(l.type, l.productId), l.crawledAt])),
    });
    const at = new Date(event.data.recordedAt);
    const context = { origin: causedBy(event), at, crawl: { crawlId, keywordId, crawledAt } };
    await this.writer.apply(ctx.em, context, evaluation.raise, evaluation.resolve);
    for (const type of evaluation.suppressed) {
      alertingMetrics.alerts().inc({ type, transition: 'suppressed' });
    }
    for (const { type, productId, explanation } of evaluation.explained) {
      this.logger.info({ crawlId, keywordId, tenantId, type, productId }, explanation);
    }
  }

  /**
   * A product no longer tracked, or no longer tracked on a keyword (no crawl of it will ever clear them):
   * its open alerts (on that keyword) resolve as `product_removed`, and the remembered standings forget it (a
   * late predecessor must not have an alert raised about a product no longer tracked).
   */
  async onUntracked(
    event: EventEnvelope<'tracking.product.removed' | 'tracking.keyword.removed'>,
    ctx: HandlerContext,
    keywordId?: string,
  ): Promise<void> {
    const open = await this.alerts.openOfTenant(ctx.em, event.tenantId, event.data.productId, keywordId);
    const resolve = open.map((alert) => ({ alert, reason: 'product_removed' as const }));
    await this.writer.apply(ctx.em, { origin: causedBy(event), at: new Date(event.occurredAt) }, [], resolve);
    await this.shelves.forgetProduct(ctx.em, event.tenantId, event.data.productId, keywordId);
  }
}
