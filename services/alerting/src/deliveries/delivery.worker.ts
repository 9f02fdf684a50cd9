import { MikroORM } from '@mikro-orm/postgresql';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { Span, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { contextFromTraceparent, getTracer } from '@shelfwatch/observability';
import { Breaker, HttpStatusError, createBreaker, httpStatusOf, isBreakerOpen } from '@shelfwatch/resilience';
import { inTransaction } from '@shelfwatch/persistence';
import { SECRET_BOX, SecretBox } from '../webhooks/secret-box';
import { signedHeaders } from '../webhooks/signature';
import { postPinned } from '../webhooks/pinned-post';
import { URL_POLICY, UrlPolicy, WebhookUrlRefused } from '../webhooks/url-policy';
import { HOST_RESOLVER, HostResolver, VettedTarget, vetWebhookUrl } from '../webhooks/webhook-target';
import { alertingMetrics } from '../alerting.metrics';
import { ClaimedDelivery, DeliveriesStore } from './deliveries.store';
import { AttemptResult, RetryPolicy, afterAttempt, attemptError } from './delivery.policy';

/** How deliveries are sent. */
export interface DeliveryOptions {
  /** One attempt is abandoned after this. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** A claimed delivery's lease: another worker may take it over after this (its holder died). */
  leaseMs: number;
}

export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

type Send = Breaker<[VettedTarget, string, Record<string, string>], number>;

/**
 * Sends claimed deliveries, one attempt each:
 * 1. claim the most overdue pending delivery under a lease (its own short transaction);
 * 2. check the URL again and resolve it again; a name now pointing inside is refused, never connected to;
 * 3. sign, and POST to the checked address through the endpoint's breaker, outside any transaction;
 * 4. record the attempt and what follows (succeeded, retry after a back-off, failed).
 * Each attempt is a span in the trace of the events it carries (the crawl's or the request's that raised them).
 */
@Injectable()
export class DeliveryWorker implements BeforeApplicationShutdown {
  private readonly breakers = new Map<string, Send>();

  constructor(
    private readonly orm: MikroORM,
    private readonly store: DeliveriesStore,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(URL_POLICY) private readonly policy: UrlPolicy,
    @Inject(HOST_RESOLVER) private readonly resolver: HostResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
  ) {
    // Scraped from the start: 0 open breakers is a value, not a missing series.
    this.countOpenBreakers();
  }

  /** Makes one attempt at the next due delivery; false when none was due. */
  async runNext(): Promise<boolean> {
    const claimed = await inTransaction(this.orm, (em) => {
      const now = this.clock.now();
      return this.store.claimNext(em, now, new Date(now.getTime() + this.options.leaseMs));
    });
    if (!claimed) {
      return false;
    }
    const span = getTracer().startSpan(
      'deliver webhook',
      {
        attributes: {
          'shelfwatch.delivery_id': claimed.deliveryId,
          'shelfwatch.webhook_id': claimed.webhookId,
          'shelfwatch.delivery.attempt': claimed.attemptCount + 1,
        },
      },
      contextFromTraceparent(claimed.traceparent, claimed.tracestate),
    );
    try {
      await context.with(trace.setSpan(context.active(), span), () => this.attemptAndRecord(claimed, span));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
    return true;
  }

  private async attemptAndRecord(claimed: ClaimedDelivery, span: Span): Promise<void> {
    const started = this.clock.now();
    const result = await this.attempt(claimed);
    const finished = this.clock.now();
    const attemptsMade = claimed.attemptCount + 1;
    const outcome = afterAttempt(result, attemptsMade, this.options.retry, finished);
    span.setAttributes({ 'shelfwatch.delivery.result': result.kind, 'shelfwatch.delivery.status': outcome.status });
    if (result.kind !== 'delivered') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.kind });
    }
    alertingMetrics.attempts().inc({ outcome: result.kind });
    alertingMetrics.attemptSeconds().observe((finished.getTime() - started.getTime()) / 1_000);
    if (outcome.status !== 'pending') {
      alertingMetrics.finished().inc({ status: outcome.status });
    }
    const attempt = {
      at: started.toISOString(),
      statusCode: result.kind === 'delivered' || result.kind === 'http_error' ? result.statusCode : null,
      error: attemptError(result),
      durationMs: finished.getTime() - started.getTime(),
    };
    await inTransaction(this.orm, (em) => this.store.finishAttempt(em, claimed.deliveryId, attempt, outcome, finished));
  }

  beforeApplicationShutdown(): void {
    for (const breaker of this.breakers.values()) {
      breaker.shutdown();
    }
    this.breakers.clear();
    this.countOpenBreakers();
  }

  private async attempt(claimed: ClaimedDelivery): Promise<AttemptResult> {
    let target: VettedTarget;
    try {
      target = await vetWebhookUrl(claimed.url, this.policy, this.resolver);
    } catch (error) {
      if (error instanceof WebhookUrlRefused) {
        return { kind: 'refused', reason: error.reason };
      }
      throw error;
    }
    const [only] = claimed.eventTypes;
    const headers = signedHeaders(this.box.open(claimed.secretSealed), claimed.body, this.clock.now(), {
      deliveryId: claimed.deliveryId,
      eventType: claimed.eventTypes.length === 1 && only !== undefined ? only : 'alert.digest',
    });
    try {
      return {
        kind: 'delivered',
        statusCode: await this.breakerOf(claimed.webhookId).fire(target, claimed.body, headers),
      };
    } catch (error) {
      if (isBreakerOpen(error)) {
        return { kind: 'breaker_open' };
      }
      const statusCode = httpStatusOf(error);
      if (statusCode !== undefined) {
        return { kind: 'http_error', statusCode };
      }
      const code =
        typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'network_error';
      return { kind: 'network_error', code };
    }
  }

  /** Webhook breakers are one per endpoint, so the metric is how many are open, never one series per webhook. */
  private countOpenBreakers(): void {
    const open = [...this.breakers.values()].filter((breaker) => breaker.state === 'open').length;
    alertingMetrics.openBreakers().set(open);
  }

  /**
   * One breaker per endpoint: a dead receiver stops costing connection attempts, others are unaffected. Their
   * calls are counted under `breaker="webhook"`; `shelfwatch_webhook_breakers_open` says how many are open.
   */
  private breakerOf(webhookId: string): Send {
    let breaker = this.breakers.get(webhookId);
    if (!breaker) {
      const timeoutMs = this.options.timeoutMs;
      breaker = createBreaker(
        `webhook-${webhookId}`,
        async (target: VettedTarget, body: string, headers: Record<string, string>, signal: AbortSignal) => {
          const status = await postPinned(target, body, headers, timeoutMs, signal);
          if (status < 200 || status >= 300) {
            throw new HttpStatusError(status);
          }
          return status;
        },
        { timeout: timeoutMs + 1_000, volumeThreshold: 5, resetTimeout: 30_000, sharedMetricLabel: 'webhook' },
      );
      breaker.onStateChange(() => this.countOpenBreakers());
      this.breakers.set(webhookId, breaker);
    }
    return breaker;
  }
}
