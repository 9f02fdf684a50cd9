import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks headers (https://www.standardwebhooks.com): what receivers verify with its libraries. */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/**
 * Deprecated: `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, sent beside the Standard Webhooks
 * headers while receivers move over (docs/alerting.md §Signature).
 */
export const SIGNATURE_HEADER = 'ShelfWatch-Signature';
/** Deprecated with `ShelfWatch-Signature`: the signing time in Unix seconds. */
export const TIMESTAMP_HEADER = 'ShelfWatch-Timestamp';
export const DELIVERY_HEADER = 'ShelfWatch-Delivery';
export const EVENT_HEADER = 'ShelfWatch-Event';

/** A `whsec_` secret in the Standard Webhooks form: padded standard base64 of the key bytes. */
const STANDARD_SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

/**
 * The HMAC key of the Standard Webhooks signature. A `whsec_<base64>` secret (every secret generated since
 * Standard Webhooks) is the base64 of its key; any other secret (generated before, as unpadded base64url, or
 * chosen by the tenant) is its own key, byte for byte, which receivers pass with `{ format: 'raw' }`.
 */
export function standardWebhookKey(secret: string): Buffer {
  const encoded = STANDARD_SECRET.exec(secret)?.[1];
  return encoded === undefined ? Buffer.from(secret, 'utf8') : Buffer.from(encoded, 'base64');
}

/** `v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>`, the Standard Webhooks signature. */
export function signStandard(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', standardWebhookKey(secret)).update(`${id}.${timestamp}.${body}`);
  return `v1,${mac.digest('base64')}`;
}

/** The deprecated ShelfWatch signature of `body` sent at `timestamp` (Unix seconds). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver of the deprecated scheme does: recompute and compare in constant time, and refuse a
 * timestamp further than `toleranceSeconds` from its own clock.
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

/**
 * The headers of one signed delivery attempt. `webhook-id` is the delivery id, the same on every retry, so
 * receivers de-duplicate on it; the timestamp is the attempt's.
 */
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
    [WEBHOOK_ID_HEADER]: meta.deliveryId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signStandard(secret, meta.deliveryId, timestamp, body),
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: sign(secret, timestamp, body),
    [DELIVERY_HEADER]: meta.deliveryId,
    [EVENT_HEADER]: meta.eventType,
  };
}
