import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  DeliveryView,
  Page,
  WebhookCreated,
  WebhookView,
  decodeCursor,
  toPage,
  webhookCreateRequest,
} from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '@shelfwatch/messaging';
import { z } from 'zod';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { AlertingError } from '../alerting.errors';
import { DeliveriesStore } from '../deliveries/deliveries.store';
import { SECRET_BOX, SecretBox, generateSigningSecret } from './secret-box';
import { URL_POLICY, UrlPolicy } from './url-policy';
import { HOST_RESOLVER, HostResolver, vetWebhookUrl } from './webhook-target';
import { WebhooksStore, toWebhookView } from './webhooks.store';

const DEFAULT_EVENTS: WebhookView['events'] = ['alert.raised', 'alert.resolved'];

/** Webhooks one tenant may register (`ALERTING_MAX_WEBHOOKS_PER_TENANT`). */
export const MAX_WEBHOOKS = Symbol('MAX_WEBHOOKS');

/** Registers, lists and removes a tenant's webhook endpoints, and reads their delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: WebhooksStore,
    private readonly deliveries: DeliveriesStore,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(URL_POLICY) private readonly policy: UrlPolicy,
    @Inject(HOST_RESOLVER) private readonly resolver: HostResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(MAX_WEBHOOKS) private readonly maxWebhooks: number,
  ) {}

  /**
   * Refuses (`WebhookUrlRefused`) a URL that is not allowed or resolves to an address that is not, and
   * `limit_exceeded` past the tenant's limit: counted under a transaction-scoped advisory lock on the
   * tenant, so concurrent registrations at the boundary cannot exceed it.
   */
  async create(input: z.infer<typeof webhookCreateRequest>): Promise<WebhookCreated> {
    const target = await vetWebhookUrl(input.url, this.policy, this.resolver);
    const secret = input.secret ?? generateSigningSecret();
    const webhook = {
      id: this.ids.next(),
      tenantId: input.tenantId,
      url: target.url.toString(),
      secretSealed: this.box.seal(secret),
      events: input.events ? [...new Set(input.events)] : DEFAULT_EVENTS,
      digest: input.digest,
      description: input.description ?? null,
      createdAt: this.clock.now().toISOString(),
    };
    await inTransaction(this.orm, async (em) => {
      await this.store.lockTenant(em, input.tenantId);
      if ((await this.store.countOf(em, input.tenantId)) >= this.maxWebhooks) {
        throw AlertingError.limitExceeded('webhooks per tenant', this.maxWebhooks);
      }
      await this.store.insert(em, webhook);
    });
    const view = toWebhookView(webhook);
    return input.secret === undefined ? { ...view, secret } : view;
  }

  async list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<WebhookView>> {
    const { rows, total } = await this.store.list(freshEm(this.orm), tenantId, {
      limit: page.limit,
      after: decodeCursor(page.cursor),
    });
    return toPage(rows, page.limit, total, toWebhookView);
  }

  /** Deletes the webhook and its pending deliveries and log. */
  async delete(tenantId: string, webhookId: string): Promise<{ deleted: true }> {
    if (!(await this.store.delete(freshEm(this.orm), tenantId, webhookId))) {
      throw AlertingError.notFound('webhook', webhookId);
    }
    return { deleted: true };
  }

  async deliveriesOf(
    tenantId: string,
    webhookId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<DeliveryView>> {
    const em = freshEm(this.orm);
    if (!(await this.store.find(em, tenantId, webhookId))) {
      throw AlertingError.notFound('webhook', webhookId);
    }
    const { rows, total } = await this.deliveries.list(em, webhookId, {
      limit: page.limit,
      after: decodeCursor(page.cursor),
    });
    return toPage(rows, page.limit, total, (row) => row);
  }
}
