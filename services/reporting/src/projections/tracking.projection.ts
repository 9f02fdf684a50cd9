import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@shelfwatch/contracts';
import { changedAny } from '@shelfwatch/persistence';

/**
 * Tracked products and keyword links. A removed product is a tombstone that a replayed `added` never
 * revives; a link is last-writer-wins on the event time, so a replayed or late older event changes nothing.
 */
export function productAdded(em: EntityManager, event: EventEnvelope<'tracking.product.added'>): Promise<boolean> {
  return changedAny(
    em,
    `insert into reporting.products (product_id, tenant_id, removed) values (?, ?, false)
     on conflict (product_id) do nothing returning product_id`,
    [event.data.productId, event.tenantId],
  );
}

export function productRemoved(em: EntityManager, event: EventEnvelope<'tracking.product.removed'>): Promise<boolean> {
  return changedAny(
    em,
    `insert into reporting.products as p (product_id, tenant_id, removed) values (?, ?, true)
     on conflict (product_id) do update set removed = true where not p.removed returning product_id`,
    [event.data.productId, event.tenantId],
  );
}

export function keywordLinked(
  em: EntityManager,
  event: EventEnvelope<'tracking.keyword.added'> | EventEnvelope<'tracking.keyword.removed'>,
  active: boolean,
): Promise<boolean> {
  return changedAny(
    em,
    `insert into reporting.product_keywords as l (product_id, keyword_id, tenant_id, active, changed_at)
     values (?, ?, ?, ?, ?::timestamptz)
     on conflict (product_id, keyword_id) do update set active = excluded.active, changed_at = excluded.changed_at
       where excluded.changed_at > l.changed_at
     returning product_id`,
    [event.data.productId, event.data.keywordId, event.tenantId, active, event.occurredAt],
  );
}
