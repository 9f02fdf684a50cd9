import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { WebhookView } from '@shelfwatch/contracts';
import { keysetPage } from '@shelfwatch/persistence';

type WebhookEvent = WebhookView['events'][number];

interface WebhookRow {
  webhook_id: string;
  tenant_id: string;
  url: string;
  secret_sealed: string;
  events: WebhookEvent[];
  digest: boolean;
  description: string | null;
  created_at: Date;
}

/** A webhook as stored, with its sealed signing secret. */
export interface StoredWebhook extends WebhookView {
  tenantId: string;
  secretSealed: string;
}

function toStored(row: WebhookRow): StoredWebhook {
  return {
    id: row.webhook_id,
    tenantId: row.tenant_id,
    url: row.url,
    secretSealed: row.secret_sealed,
    events: row.events,
    digest: row.digest,
    description: row.description,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Strips what a tenant never reads back (the sealed secret). */
export function toWebhookView(webhook: StoredWebhook): WebhookView {
  const { id, url, events, digest, description, createdAt } = webhook;
  return { id, url, events, digest, description, createdAt };
}

/** The tenants' webhook endpoints; every statement takes the caller's entity manager. */
@Injectable()
export class WebhooksStore {
  /**
   * Serializes the registrations of one tenant until the caller's transaction ends.
   * SQL: a transaction-scoped advisory lock, which the ORM has no call for.
   */
  async lockTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`alerting.webhooks:${tenantId}`]);
  }

  /**
   * How many webhooks a tenant has (counted under {@link lockTenant} to enforce the per-tenant limit).
   * SQL: one count, in the locked transaction and one round trip.
   */
  async countOf(em: EntityManager, tenantId: string): Promise<number> {
    const [row] = await em.execute<{ count: string }[]>(
      'select count(*) as count from alerting.webhooks where tenant_id = ?',
      [tenantId],
    );
    return Number(row?.count ?? 0);
  }

  async insert(em: EntityManager, webhook: StoredWebhook): Promise<void> {
    await em.execute(
      `insert into alerting.webhooks (webhook_id, tenant_id, url, secret_sealed, events, digest, description, created_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)`,
      [
        webhook.id,
        webhook.tenantId,
        webhook.url,
        webhook.secretSealed,
        JSON.stringify(webhook.events),
        webhook.digest,
        webhook.description,
        webhook.createdAt,
      ],
      'run',
    );
  }

  async find(em: EntityManager, tenantId: string, webhookId: string): Promise<StoredWebhook | null> {
    const [row] = await em.execute<WebhookRow[]>(
      'select * from alerting.webhooks where webhook_id = ? and tenant_id = ?',
      [webhookId, tenantId],
    );
    return row ? toStored(row) : null;
  }

  /** Every webhook of a tenant (a tenant has a handful), for planning deliveries. */
  async allOf(em: EntityManager, tenantId: string): Promise<StoredWebhook[]> {
    const rows = await em.execute<WebhookRow[]>('select * from alerting.webhooks where tenant_id = ?', [tenantId]);
    return rows.map(toStored);
  }

  /** Deletes a webhook and its delivery log; false when the tenant has no such webhook. */
  async delete(em: EntityManager, tenantId: string, webhookId: string): Promise<boolean> {
    const result = await em.execute<{ affectedRows: number }>(
      'delete from alerting.webhooks where webhook_id = ? and tenant_id = ?',
      [webhookId, tenantId],
      'run',
    );
    return result.affectedRows === 1;
  }

  async list(
    em: EntityManager,
    tenantId: string,
    page: { limit: number; after?: string },
  ): Promise<{ rows: StoredWebhook[]; total: number }> {
    const { rows, total } = await keysetPage<WebhookRow>(
      em,
      {
        columns: '*',
        from: 'alerting.webhooks',
        where: 'tenant_id = ?',
        params: [tenantId],
        key: 'webhook_id',
        order: 'desc',
      },
      page,
    );
    return { rows: rows.map(toStored), total };
  }
}
