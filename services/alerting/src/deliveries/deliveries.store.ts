import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DeliveryAttemptView, DeliveryStatus, DeliveryView } from '@shelfwatch/contracts';
import { keysetPage } from '@shelfwatch/persistence';

interface DeliveryRow {
  delivery_id: string;
  tenant_id: string;
  webhook_id: string;
  event_ids: string[];
  event_types: string[];
  body: string;
  status: DeliveryStatus;
  attempts: DeliveryAttemptView[];
  attempt_count: number;
  next_attempt_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
}

function toView(row: DeliveryRow): DeliveryView {
  return {
    id: row.delivery_id,
    webhookId: row.webhook_id,
    eventIds: row.event_ids,
    eventTypes: row.event_types,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
  };
}

/** A delivery to make: one body for one webhook. */
export interface NewDelivery {
  deliveryId: string;
  tenantId: string;
  webhookId: string;
  eventIds: string[];
  eventTypes: string[];
  body: string;
  createdAt: Date;
}

/** A delivery a worker holds under lease, with what it needs to send it. */
export interface ClaimedDelivery {
  deliveryId: string;
  webhookId: string;
  url: string;
  secretSealed: string;
  body: string;
  eventTypes: string[];
  /** Attempts made before this one. */
  attemptCount: number;
  /**
   * The trace context its (first) event was written with, read from the outbox row written in the same transaction
   * as the delivery: each attempt belongs to the trace of the crawl or request that caused it. Null once the
   * outbox has pruned that row (a day after publication): a later attempt starts a trace of its own.
   */
  traceparent: string | null;
  tracestate: string | null;
}

/** How an attempt ended for the delivery row. */
export type DeliveryOutcome =
  { status: 'succeeded' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: Date };

/** The delivery log: durable rows worked by the delivery loop; statements take the caller's entity manager. */
@Injectable()
export class DeliveriesStore {
  async insertMany(em: EntityManager, deliveries: readonly NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) {
      return;
    }
    await em.execute(
      `insert into alerting.deliveries (delivery_id, tenant_id, webhook_id, event_ids, event_types, body, status,
                                        next_attempt_at, created_at)
       values ${deliveries.map(() => `(?, ?, ?, ?::jsonb, ?::jsonb, ?, 'pending', ?, ?)`).join(', ')}`,
      deliveries.flatMap((d) => [
        d.deliveryId,
        d.tenantId,
        d.webhookId,
        JSON.stringify(d.eventIds),
        JSON.stringify(d.eventTypes),
        d.body,
        d.createdAt,
        d.createdAt,
      ]),
      'run',
    );
  }

  /**
   * Takes the most overdue pending delivery, else one whose holder's lease expired (it died mid-attempt),
   * for this worker. Two index-backed statements rather than one `or` that would scan the whole log.
   */
  async claimNext(em: EntityManager, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | null> {
    return (
      (await this.claimOne(em, `status = 'pending' and next_attempt_at <= ?`, 'next_attempt_at', now, leaseUntil)) ??
      (await this.claimOne(em, `status = 'delivering' and lease_until < ?`, 'lease_until', now, leaseUntil))
    );
  }

  private async claimOne(
    em: EntityManager,
    condition: string,
    order: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<ClaimedDelivery | null> {
    type ClaimedRow = DeliveryRow & {
      url: string;
      secret_sealed: string;
      traceparent: string | null;
      tracestate: string | null;
    };
    const rows = await em.execute<ClaimedRow[]>(
      `with claimed as (
         update alerting.deliveries set status = 'delivering', lease_until = ?
          where delivery_id = (
            select delivery_id from alerting.deliveries where ${condition}
             order by ${order} limit 1 for update skip locked)
          returning *)
       select c.*, w.url, w.secret_sealed, o.traceparent, o.tracestate
         from claimed c join alerting.webhooks w using (webhook_id)
         left join alerting.outbox o on o.event_id = (c.event_ids ->> 0)::uuid`,
      [leaseUntil, now],
    );
    const [row] = rows;
    return row
      ? {
          deliveryId: row.delivery_id,
          webhookId: row.webhook_id,
          url: row.url,
          secretSealed: row.secret_sealed,
          body: row.body,
          eventTypes: row.event_types,
          attemptCount: row.attempt_count,
          traceparent: row.traceparent,
          tracestate: row.tracestate,
        }
      : null;
  }

  /** Records one attempt and what follows from it; false when the delivery was no longer ours. */
  async finishAttempt(
    em: EntityManager,
    deliveryId: string,
    attempt: DeliveryAttemptView,
    outcome: DeliveryOutcome,
    at: Date,
  ): Promise<boolean> {
    const next = outcome.status === 'pending' ? outcome.nextAttemptAt : null;
    const result = await em.execute<{ affectedRows: number }>(
      `update alerting.deliveries
          set status = ?, attempts = attempts || ?::jsonb, attempt_count = attempt_count + 1, next_attempt_at = ?,
              lease_until = null, completed_at = ?
        where delivery_id = ? and status = 'delivering'`,
      [outcome.status, JSON.stringify([attempt]), next, outcome.status === 'pending' ? null : at, deliveryId],
      'run',
    );
    return result.affectedRows === 1;
  }

  /** A page of one webhook's deliveries (the tenant's delivery log), newest first. */
  async list(
    em: EntityManager,
    webhookId: string,
    page: { limit: number; after?: string },
  ): Promise<{ rows: (DeliveryView & { id: string })[]; total: number }> {
    const { rows, total } = await keysetPage<DeliveryRow>(
      em,
      {
        columns: '*',
        from: 'alerting.deliveries',
        where: 'webhook_id = ?',
        params: [webhookId],
        key: 'delivery_id',
        order: 'desc',
      },
      page,
    );
    return { rows: rows.map(toView), total };
  }
}
