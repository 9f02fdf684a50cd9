import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateSigningSecret } from './secret-box';
import { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, signedHeaders } from './signature';

// The standardwebhooks library checks the timestamp against the real clock, so deliveries are signed "now".
const body = JSON.stringify({ id: '0193a6c0-0000-7000-8000-000000000001', type: 'alert.raised', data: { n: 1 } });
const signedNow = (secret: string) =>
  signedHeaders(secret, body, new Date(), { deliveryId: 'dlv_0193a6c0', eventType: 'alert.raised' });

describe('Standard Webhooks signatures, verified by the standardwebhooks library', () => {
  it('verifies a delivery signed with a generated whsec_ secret, passed to the library as it was shown', () => {
    const secret = generateSigningSecret();
    const headers = signedNow(secret);
    expect(headers[WEBHOOK_ID_HEADER]).toBe('dlv_0193a6c0');
    expect(headers[WEBHOOK_SIGNATURE_HEADER]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('verifies a secret from before Standard Webhooks (unpadded base64url) or chosen by the tenant as a raw key', () => {
    for (const secret of ['whsec_Jq3-Zq0_9xYbQm2KkV8sYt4Lr1Wn6Pd5Hc7Ga0Ef2Ui', 'a tenant-chosen secret value']) {
      expect(new Webhook(secret, { format: 'raw' }).verify(body, signedNow(secret))).toEqual(JSON.parse(body));
    }
  });

  it('refuses a changed body, another secret, another delivery id or a tampered signature', () => {
    const secret = generateSigningSecret();
    const headers = signedNow(secret);
    const receiver = new Webhook(secret);
    expect(() => receiver.verify(body.replace('"n":1', '"n":2'), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => receiver.verify(body, { ...headers, [WEBHOOK_ID_HEADER]: 'dlv_other' })).toThrow(
      WebhookVerificationError,
    );
    const [scheme = '', mac = ''] = (headers[WEBHOOK_SIGNATURE_HEADER] ?? '').split(',');
    const tampered = `${scheme},${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    expect(() => receiver.verify(body, { ...headers, [WEBHOOK_SIGNATURE_HEADER]: tampered })).toThrow(
      WebhookVerificationError,
    );
  });

  it('refuses a delivery signed more than five minutes ago (replay)', () => {
    const secret = generateSigningSecret();
    const old = signedHeaders(secret, body, new Date(Date.now() - 10 * 60_000), {
      deliveryId: 'dlv_old',
      eventType: 'alert.raised',
    });
    expect(old[WEBHOOK_TIMESTAMP_HEADER]).toMatch(/^\d+$/);
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
  });
});
