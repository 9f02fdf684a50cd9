import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@shelfwatch/contracts';
import { alertsAlternate, productMissingRaisedOnce } from './alert-checks';
import { poisonParkedOnly, StoredEvent } from './stream-checks';
import { ReceivedDelivery, deliveredOncePerWebhook } from './webhook-receiver';

function stored(type: string, data: Record<string, unknown>, id = randomUUID()): StoredEvent {
  const envelope = { id, type, version: 1, occurredAt: '2026-11-22T00:00:00Z', data } as unknown as EventEnvelope;
  return { subject: `x.${type}`, envelope, deadLetterConsumer: undefined };
}

const product = { productId: randomUUID(), externalId: 'p-1', keywordId: randomUUID(), keywordText: 'k' };
const raised = (alertId = randomUUID()) =>
  stored('alert.raised', {
    alertId,
    alertType: 'product_missing',
    productId: product.productId,
    keywordId: product.keywordId,
  });
const hook = { name: 'all', path: '/hooks/all', events: ['alert.raised'], secret: 's' };
const delivery = (event: StoredEvent, webhookId: string, signatureValid = true): ReceivedDelivery => ({
  path: hook.path,
  webhookId,
  eventId: event.envelope?.id,
  eventType: event.envelope?.type,
  signatureValid,
  at: 0,
});

describe('the fault checker', () => {
  it('accepts a redelivery under the same webhook-id, not a second id for one alert', () => {
    const alert = raised();
    expect(deliveredOncePerWebhook([alert], [hook], [delivery(alert, 'a'), delivery(alert, 'a')], 1).ok).toBe(true);
    const twice = deliveredOncePerWebhook([alert], [hook], [delivery(alert, 'a'), delivery(alert, 'b')], 1);
    expect(twice.failures).toContainEqual(expect.stringContaining('delivered under 2 ids'));
  });

  it('fails a delivery with a bad signature, a missing delivery and a count below the minimum', () => {
    const alert = raised();
    expect(deliveredOncePerWebhook([alert], [hook], [delivery(alert, 'a', false)], 1).ok).toBe(false);
    expect(deliveredOncePerWebhook([alert], [hook], [], 0).failures).toEqual([
      expect.stringContaining('delivered under 0 ids'),
    ]);
    expect(deliveredOncePerWebhook([], [hook], [], 1).failures).toEqual(['observed 0 < minimum 1']);
  });

  it('fails an empty alert stream that the workload implies is not empty', () => {
    expect(alertsAlternate([], 40).ok).toBe(false);
    expect(productMissingRaisedOnce([], [product], () => false).failures).toContainEqual(
      expect.stringContaining('raised 0 times'),
    );
  });

  it('holds the product-missing alert to exactly one, never resolved', () => {
    const first = raised();
    expect(productMissingRaisedOnce([first], [product], () => false).ok).toBe(true);
    expect(productMissingRaisedOnce([first, raised()], [product], () => false).ok).toBe(false);
    expect(alertsAlternate([first, raised()], 1).ok).toBe(false);
    const alertId = (first.envelope?.data as { alertId: string }).alertId;
    const resolved = stored('alert.resolved', { alertId });
    expect(productMissingRaisedOnce([first, resolved], [product], () => false).ok).toBe(false);
  });

  it('requires every expected reader to park each poison message', () => {
    const id = randomUUID();
    const letter = (durable: string): StoredEvent => ({
      ...stored('crawl.completed', {}, id),
      deadLetterConsumer: durable,
    });
    const poison = new Map([[id, 'crawl.completed']]);
    expect(poisonParkedOnly([letter('ranking-crawl'), letter('reporting-crawl')], poison).ok).toBe(true);
    expect(poisonParkedOnly([letter('ranking-crawl')], poison).failures).toContainEqual(
      `reporting-crawl did not park crawl.completed ${id}`,
    );
    expect(poisonParkedOnly([], new Map()).ok).toBe(true);
  });
});
