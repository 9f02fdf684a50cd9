import { Context, Span, SpanStatusCode } from '@opentelemetry/api';
import { Logger } from 'pino';
import { BeforeCommit } from './before-commit';
import { Accepted, MessageProcessor, Outcome } from './message-processor';

interface Traced extends Accepted {
  span: Span;
  ctx: Context;
}

/**
 * Applies a batch of messages in one transaction: one multi-row inbox insert, every handler in order,
 * the work they left for the end of the transaction (`beforeCommit`), one commit, then one ack per message. If anything in the batch throws, the whole transaction rolls
 * back and each message is applied again on its own, so one bad message costs the others nothing but time.
 */
export class BatchProcessor {
  constructor(
    private readonly single: MessageProcessor,
    private readonly logger: Logger,
  ) {}

  /** Applies triaged messages ({@link MessageProcessor.triage}) in one transaction, in the order given. */
  async process(accepted: readonly Accepted[]): Promise<void> {
    if (accepted.length === 0) {
      return;
    }
    const traced = accepted.map((item) => ({ ...item, ...this.single.startSpan(item) }));
    const stopHeartbeat = this.single.heartbeat(accepted.map((item) => item.msg));
    let outcomes: Outcome[];
    try {
      outcomes = await this.applyAll(traced);
    } catch (error) {
      stopHeartbeat();
      this.endAll(traced, 'batch rolled back; applying messages one by one');
      this.logger.debug({ err: error, consumer: this.single.durable, size: traced.length }, 'batch failed');
      for (const item of accepted) {
        await this.single.apply(item);
      }
      return;
    }
    stopHeartbeat();
    const seam = this.single.options.afterCommit;
    if (seam) {
      for (const item of traced) {
        await seam(item.event);
      }
    }
    // Every ack in one synchronous loop: they leave in one write (see MessageProcessor.acknowledge).
    for (const [index, item] of traced.entries()) {
      this.single.acknowledge(item, outcomes[index] ?? 'handled', item.span);
    }
    this.endAll(traced);
  }

  private applyAll(traced: Traced[]): Promise<Outcome[]> {
    return this.single.transactWithin(async (em) => {
      const fresh = await this.single.recordInbox(
        em,
        traced.map((item) => item.event),
      );
      const outcomes: Outcome[] = [];
      const beforeCommit = new BeforeCommit();
      for (const item of traced) {
        // The same event twice in one batch (re-published under another message id) runs once.
        if (!fresh.delete(item.event.id)) {
          outcomes.push('duplicate');
          continue;
        }
        await this.single.runHandler(item, em, item.ctx, beforeCommit);
        outcomes.push('handled');
      }
      await beforeCommit.run(em);
      return outcomes;
    });
  }

  private endAll(traced: Traced[], error?: string): void {
    for (const { span } of traced) {
      if (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      }
      span.end();
    }
  }
}
