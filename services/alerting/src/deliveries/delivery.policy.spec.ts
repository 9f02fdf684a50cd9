import { EventEnvelope, buildEvent } from '@shelfwatch/contracts';
import { afterAttempt, attemptError, backoffMs, planDeliveries } from './delivery.policy';

const policy = { maxAttempts: 4, baseMs: 1_000, maxMs: 5_000 };
const NOW = new Date('2026-11-22T10:00:00Z');
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const E1 = '00000000-0000-7000-8000-0000000000e1';
const E2 = '00000000-0000-7000-8000-0000000000e2';
const E3 = '00000000-0000-7000-8000-0000000000e3';

function anEvent(type: 'alert.raised' | 'alert.resolved', id: string): EventEnvelope {
  const origin = { tenantId: TENANT, correlationId: '00000000-0000-4000-8000-0000000000cc', causationId: null };
  const alertId = '00000000-0000-4000-8000-0000000000a1';
  return type === 'alert.raised'
    ? buildEvent(
        type,
        {
          alertId,
          ruleId: alertId,
          alertType: 'price_undercut',
          productId: alertId,
          keywordId: alertId,
          crawlId: alertId,
          message: 'm',
          details: {},
        },
        origin,
        { id, occurredAt: NOW },
      )
    : buildEvent(type, { alertId, resolvedAt: NOW.toISOString(), reason: 'condition_cleared' }, origin, {
        id,
        occurredAt: NOW,
      });
}

describe('delivery retries', () => {
  it('backs off from the base, doubling, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, policy))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('given a 503 on the first attempt, then it retries after the base delay; after the last attempt it fails', () => {
    expect(afterAttempt({ kind: 'http_error', statusCode: 503 }, 1, policy, NOW)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(NOW.getTime() + 1_000),
    });
    expect(afterAttempt({ kind: 'network_error', code: 'ECONNREFUSED' }, 4, policy, NOW)).toEqual({ status: 'failed' });
  });

  it('given a permanent answer (404, a redirect) or an address refused at delivery, then it fails at once', () => {
    expect(afterAttempt({ kind: 'http_error', statusCode: 404 }, 1, policy, NOW)).toEqual({ status: 'failed' });
    expect(afterAttempt({ kind: 'http_error', statusCode: 302 }, 1, policy, NOW)).toEqual({ status: 'failed' });
    expect(attemptError({ kind: 'http_error', statusCode: 302 })).toBe('redirect_not_followed_302');
    expect(afterAttempt({ kind: 'refused', reason: 'private_address' }, 1, policy, NOW)).toEqual({ status: 'failed' });
  });

  it('given 408 or 429, then it retries like a server error', () => {
    expect(afterAttempt({ kind: 'http_error', statusCode: 429 }, 1, policy, NOW).status).toBe('pending');
    expect(afterAttempt({ kind: 'http_error', statusCode: 408 }, 1, policy, NOW).status).toBe('pending');
  });

  it('given an open breaker, then it is a failed attempt without a connection, so a dead endpoint still ends failed', () => {
    expect(afterAttempt({ kind: 'breaker_open' }, 1, policy, NOW).status).toBe('pending');
    expect(afterAttempt({ kind: 'breaker_open' }, 4, policy, NOW)).toEqual({ status: 'failed' });
  });
});

describe('planning deliveries', () => {
  const ids = (): { id: () => string; at: Date } => {
    let n = 0;
    return { id: () => `d${++n}`, at: NOW };
  };
  const events = [anEvent('alert.raised', E1), anEvent('alert.raised', E2), anEvent('alert.resolved', E3)];

  it('sends each subscribed event on its own to a plain webhook', () => {
    const planned = planDeliveries(TENANT, events, [{ id: 'w1', events: ['alert.raised'], digest: false }], ids());
    expect(planned.map((d) => d.eventIds)).toEqual([[E1], [E2]]);
    expect(JSON.parse(planned[0]?.body ?? '{}')).toMatchObject({ id: E1, type: 'alert.raised', tenantId: TENANT });
  });

  it('sends one digest per batch (one crawl) to a digest webhook', () => {
    const planned = planDeliveries(
      TENANT,
      events,
      [{ id: 'w2', events: ['alert.raised', 'alert.resolved'], digest: true }],
      ids(),
    );
    expect(planned).toHaveLength(1);
    expect(planned[0]?.eventIds).toEqual([E1, E2, E3]);
    expect(JSON.parse(planned[0]?.body ?? '{}')).toMatchObject({
      type: 'alert.digest',
      events: [{ id: E1 }, { id: E2 }, { id: E3 }],
    });
  });

  it('sends nothing to a webhook that subscribed to none of the events', () => {
    expect(planDeliveries(TENANT, events, [{ id: 'w3', events: ['alert.acknowledged'], digest: true }], ids())).toEqual(
      [],
    );
  });
});
