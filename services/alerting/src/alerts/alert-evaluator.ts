import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, causedBy, crawlTimeOf } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { alertingMetrics } from '../alerting.metrics';
import { RulesService } from '../rules/rules.service';
import { AlertWriter } from './alert-writer';
import { AlertsStore } from './alerts.store';
import { alertKey, evaluateCrawl, topCompetitors } from './crawl-evaluation';
import { REMEMBERED_RANKS, ShelvesStore } from './shelves.store';

/**
 * Evaluates the rules on a successful crawl's recorded ranking, inside the handler's transaction, with a
 * fixed number of statements whatever the number of products:
 * 1. lock the keyword's shelf memory (crawls of one keyword are evaluated in crawl-time order, `crawledAt`, as
 *    ranking orders them; a crawl older than the last evaluated one, however late it arrives, is ignored);
 * 2. load the tenant's rules and the latest alert of every (rule, product) of the keyword;
 * 3. evaluate (pure); 4. write raised and resolved alerts, their events and deliveries; 5. remember the shelf.
 * A failed crawl never gets here: `crawl.failed` produces no `ranking.recorded`.
 */
@Injectable()
export class AlertEvaluator {
  private readonly logger = new Logger(AlertEvaluator.name);

  constructor(
    private readonly shelves: ShelvesStore,
    private readonly rules: RulesService,
    private readonly alerts: AlertsStore,
    private readonly writer: AlertWriter,
  ) {}

  async onRecorded(event: EventEnvelope<'ranking.recorded'>, ctx: HandlerContext): Promise<void> {
    const { crawlId, keywordId, entries, standings } = event.data;
    const tenantId = event.tenantId;
    const at = new Date(event.data.recordedAt);
    const crawledAt = new Date(crawlTimeOf(event.data));
    const memory = await this.shelves.lock(ctx.em, tenantId, keywordId);
    if (memory.crawledAt !== null && memory.crawledAt.getTime() >= crawledAt.getTime()) {
      this.logger.log({ crawlId, keywordId, tenantId }, 'ranking older than the last evaluated one ignored');
      return;
    }
    const rules = await this.rules.rulesOf(ctx.em, tenantId);
    const latest = await this.alerts.latestPerKey(ctx.em, tenantId, keywordId);
    const current = topCompetitors(entries, REMEMBERED_RANKS);
    const evaluation = evaluateCrawl({
      crawledAt,
      rules,
      standings,
      top: { previous: memory.crawledAt === null ? null : memory.top, current },
      open: latest.open,
      lastRaisedAt: new Map(latest.lastRaised.map((l) => [alertKey(l.type, l.productId), l.crawledAt])),
    });
    const context = { origin: causedBy(event), at, crawl: { crawlId, keywordId, crawledAt } };
    await this.writer.apply(ctx.em, context, evaluation.raise, evaluation.resolve);
    await this.shelves.save(ctx.em, keywordId, { crawlId, crawledAt, recordedAt: at, top: current });
    for (const type of evaluation.suppressed) {
      alertingMetrics.alerts().inc({ type, transition: 'suppressed' });
    }
    for (const { type, productId, explanation } of evaluation.explained) {
      this.logger.log({ crawlId, keywordId, tenantId, type, productId }, explanation);
    }
  }

  /**
   * A product no longer tracked, or no longer tracked on a keyword (no crawl of it will ever clear them):
   * its open alerts (on that keyword) resolve as `product_removed`.
   */
  async onUntracked(
    event: EventEnvelope<'tracking.product.removed' | 'tracking.keyword.removed'>,
    ctx: HandlerContext,
    keywordId?: string,
  ): Promise<void> {
    const open = await this.alerts.openOfTenant(ctx.em, event.tenantId, event.data.productId, keywordId);
    const resolve = open.map((alert) => ({ alert, reason: 'product_removed' as const }));
    await this.writer.apply(ctx.em, { origin: causedBy(event), at: new Date(event.occurredAt) }, [], resolve);
  }
}
