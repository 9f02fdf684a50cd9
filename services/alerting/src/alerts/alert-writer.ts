import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AlertView, EventEnvelope, EventOrigin, EventType } from '@shelfwatch/contracts';
import { ID_GENERATOR, IdGenerator, OutboxEntry, OutboxWriter } from '@shelfwatch/messaging';
import { alertingMetrics } from '../alerting.metrics';
import { DeliveriesStore } from '../deliveries/deliveries.store';
import { planDeliveries } from '../deliveries/delivery.policy';
import { ruleIdFor } from '../rules/rule-settings';
import { WebhooksStore } from '../webhooks/webhooks.store';
import { AlertsStore, NewAlert } from './alerts.store';
import { AlertToRaise, AlertToResolve } from './crawl-evaluation';

/** Where a batch of changes comes from: whose it is, the event or request that caused it, the crawl if any. */
export interface ChangeContext {
  origin: EventOrigin;
  at: Date;
  crawl?: { crawlId: string; keywordId: string; crawledAt: Date };
}

/**
 * Writes alert state changes, each with its event (outbox), its history row and the webhook deliveries it
 * causes, in the caller's transaction: a batch costs a fixed number of statements, whatever its size.
 * Events are keyed by alert id, so one alert's events reach the stream in order.
 */
@Injectable()
export class AlertWriter {
  constructor(
    private readonly alerts: AlertsStore,
    private readonly webhooks: WebhooksStore,
    private readonly deliveries: DeliveriesStore,
    private readonly outbox: OutboxWriter,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Raises and resolves; returns the published events. An alert another transaction raised first is skipped. */
  async apply(
    em: EntityManager,
    context: ChangeContext,
    raise: readonly AlertToRaise[],
    resolve: readonly AlertToResolve[],
  ): Promise<EventEnvelope[]> {
    const { crawl, origin } = context;
    const tenantId = origin.tenantId;
    const fresh: NewAlert[] = crawl
      ? raise.map((alert) => ({
          ...alert,
          alertId: this.ids.next(),
          tenantId,
          ruleId: ruleIdFor(tenantId, alert.type),
          keywordId: crawl.keywordId,
          crawlId: crawl.crawlId,
          raisedAt: context.at,
          crawledAt: crawl.crawledAt,
        }))
      : [];
    const inserted = await this.alerts.insertRaised(em, fresh);
    const raised = fresh.filter((alert) => inserted.has(alert.alertId));
    const resolvedIds = await this.alerts.resolve(
      em,
      tenantId,
      resolve.map((r) => ({ alertId: r.alert.alertId, reason: r.reason })),
      context.at,
    );
    const resolved = resolve.filter((r) => resolvedIds.has(r.alert.alertId));
    const at = context.at.toISOString();
    const entries: OutboxEntry<EventType>[] = [
      ...resolved.map(({ alert, reason }) => ({
        type: 'alert.resolved' as const,
        data: {
          alertId: alert.alertId,
          resolvedAt: at,
          reason,
          alertType: alert.type,
          productId: alert.productId,
          keywordId: alert.keywordId,
        },
        origin,
        aggregateKey: alert.alertId,
      })),
      ...raised.map((alert) => ({
        type: 'alert.raised' as const,
        data: {
          alertId: alert.alertId,
          ruleId: alert.ruleId,
          alertType: alert.type,
          productId: alert.productId,
          keywordId: alert.keywordId,
          crawlId: alert.crawlId,
          message: alert.message.slice(0, 1000),
          details: alert.details,
        },
        origin,
        aggregateKey: alert.alertId,
      })),
    ];
    const published = await this.outbox.appendMany(em, entries);
    // appendMany answers one event per entry, in order: resolutions first, then raises.
    const eventId = (index: number): string => {
      const event = published[index];
      if (!event) {
        throw new Error(`outbox answered ${published.length} events for ${entries.length} entries`);
      }
      return event.id;
    };
    await this.alerts.appendEvents(em, [
      ...resolved.map(({ alert, reason }, i) => ({
        alertId: alert.alertId,
        event: { type: 'alert.resolved' as const, at, eventId: eventId(i), reason },
      })),
      ...raised.map((alert, i) => ({
        alertId: alert.alertId,
        event: { type: 'alert.raised' as const, at, eventId: eventId(resolved.length + i) },
      })),
    ]);
    await this.deliver(em, context, published);
    for (const { alert } of resolved) {
      alertingMetrics.alerts().inc({ type: alert.type, transition: 'resolved' });
    }
    for (const alert of raised) {
      alertingMetrics.alerts().inc({ type: alert.type, transition: 'raised' });
    }
    return published;
  }

  /** Acknowledges an open alert (the caller decided it may). */
  async acknowledge(em: EntityManager, context: ChangeContext, alert: AlertView): Promise<EventEnvelope> {
    const at = context.at.toISOString();
    await this.alerts.acknowledge(em, context.origin.tenantId, alert.id, context.at);
    const event = await this.outbox.append(em, {
      type: 'alert.acknowledged',
      data: {
        alertId: alert.id,
        acknowledgedAt: at,
        alertType: alert.type,
        productId: alert.productId,
        keywordId: alert.keywordId,
      },
      origin: context.origin,
      aggregateKey: alert.id,
    });
    await this.alerts.appendEvents(em, [
      { alertId: alert.id, event: { type: 'alert.acknowledged', at, eventId: event.id } },
    ]);
    await this.deliver(em, context, [event]);
    alertingMetrics.alerts().inc({ type: alert.type, transition: 'acknowledged' });
    return event;
  }

  private async deliver(em: EntityManager, context: ChangeContext, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    const tenantId = context.origin.tenantId;
    const webhooks = await this.webhooks.allOf(em, tenantId);
    const planned = planDeliveries(tenantId, events, webhooks, { id: () => this.ids.next(), at: context.at });
    await this.deliveries.insertMany(em, planned);
  }
}
