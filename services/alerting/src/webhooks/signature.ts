import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. */
export const SIGNATURE_HEADER = 'ShelfWatch-Signature';
/** Header carrying the signing time in Unix seconds; receivers reject old ones (replay). */
export const TIMESTAMP_HEADER = 'ShelfWatch-Timestamp';
export const DELIVERY_HEADER = 'ShelfWatch-Delivery';
export const EVENT_HEADER = 'ShelfWatch-Event';

/** The signature of `body` sent at `timestamp` (Unix seconds). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute and compare in constant time, and refuse a timestamp further than
 * `toleranceSeconds` from its own clock. Exported for tests and as the reference for `docs/alerting.md`.
 */
export function verifySignature(
  secret: string,
  header: { signature: string; timestamp: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(header.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return false;
  }
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The headers of one signed delivery. */
export function signedHeaders(
  secret: string,
  body: string,
  at: Date,
  meta: { deliveryId: string; eventType: string },
): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1_000);
  return {
    'content-type': 'application/json',
    'user-agent': 'ShelfWatch-Webhooks/1',
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: sign(secret, timestamp, body),
    [DELIVERY_HEADER]: meta.deliveryId,
    [EVENT_HEADER]: meta.eventType,
  };
}
