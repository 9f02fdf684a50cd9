import { createHmac } from 'node:crypto';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signedHeaders, verifySignature } from './signature';

const SECRET = 'whsec_test_secret_0123456789';
const AT = new Date('2026-11-22T10:00:00Z');
const NOW = AT.getTime() / 1_000;

describe('webhook signatures', () => {
  it('signs timestamp "." body with HMAC-SHA256, as a receiver recomputes it independently', () => {
    const body = '{"type":"alert.raised"}';
    const headers = signedHeaders(SECRET, body, AT, { deliveryId: 'd1', eventType: 'alert.raised' });
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${body}`).digest('hex');
    expect(headers[TIMESTAMP_HEADER]).toBe(String(NOW));
    expect(headers[SIGNATURE_HEADER]).toBe(`v1=${expected}`);
  });

  it('verifies a genuine signature and refuses a changed body, another secret or a stale timestamp', () => {
    const body = '{"a":1}';
    const header = { signature: sign(SECRET, NOW, body), timestamp: String(NOW) };
    expect(verifySignature(SECRET, header, body, NOW)).toBe(true);
    expect(verifySignature(SECRET, header, '{"a":2}', NOW)).toBe(false);
    expect(verifySignature('another secret value', header, body, NOW)).toBe(false);
    expect(verifySignature(SECRET, header, body, NOW + 301)).toBe(false);
    expect(verifySignature(SECRET, { ...header, signature: 'v1=00' }, body, NOW)).toBe(false);
  });
});
