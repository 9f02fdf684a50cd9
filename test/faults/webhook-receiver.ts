import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { StoredEvent } from './stream-checks';
import { Finding, finding } from './finding';

/** A webhook the workload registered: where it points and what it subscribed to. */
export interface RegisteredWebhook {
  name: string;
  /** The receiver's path for it (`/hooks/<name>`). */
  path: string;
  events: readonly string[];
  secret: string;
}

/** One POST the receiver got, with what verifying its Standard Webhooks signature said. */
export interface ReceivedDelivery {
  path: string;
  webhookId: string;
  eventId: string | undefined;
  eventType: string | undefined;
  signatureValid: boolean;
  at: number;
}

/**
 * The tenant's system the suite runs: a real HTTP server in the test process that answers 200 to every
 * POST, and verifies each one's signature (the `standardwebhooks` library, as a receiver would) with the
 * secret of the webhook its path belongs to.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.receive(req.url ?? '', req.headers as Record<string, string>, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  private port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The URL the webhook `name` points at. */
  urlFor(name: string): string {
    return `http://127.0.0.1:${this.port}/hooks/${name}`;
  }

  /** The secret the webhook `name` signs with (chosen, or answered once when generated). */
  useSecret(name: string, secret: string): void {
    this.secrets.set(`/hooks/${name}`, secret);
  }

  private receive(path: string, headers: Record<string, string>, body: string): void {
    const secret = this.secrets.get(path);
    let event: { id?: string; type?: string } | undefined;
    let signatureValid = false;
    try {
      event = new Webhook(secret ?? 'whsec_unknown').verify(body, headers) as { id?: string; type?: string };
      signatureValid = secret !== undefined;
    } catch {
      event = safeJson(body);
    }
    this.deliveries.push({
      path,
      webhookId: headers['webhook-id'] ?? '',
      eventId: event?.id,
      eventType: event?.type,
      signatureValid,
      at: Date.now(),
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function safeJson(body: string): { id?: string; type?: string } | undefined {
  try {
    return JSON.parse(body) as { id?: string; type?: string };
  } catch {
    return undefined;
  }
}

/**
 * Every alert event of the stream was delivered to every webhook subscribed to its type exactly once (one
 * `webhook-id`; a redelivery under the same id is what receivers de-duplicate, two ids are two deliveries),
 * every delivery carried a valid signature, and nothing was delivered that the stream does not hold.
 * Minimum: the alerts the workload must raise, times the webhooks subscribed to `alert.raised`.
 */
export function deliveredOncePerWebhook(
  alertEvents: readonly StoredEvent[],
  webhooks: readonly RegisteredWebhook[],
  received: readonly ReceivedDelivery[],
  minimum: number,
): Finding {
  const failures: string[] = [];
  const invalid = received.filter((delivery) => !delivery.signatureValid);
  invalid.slice(0, 3).forEach((d) => failures.push(`invalid signature on ${d.path} webhook-id ${d.webhookId}`));
  if (invalid.length > 3) {
    failures.push(`${invalid.length - 3} more invalid signatures`);
  }
  let observed = 0;
  for (const webhook of webhooks) {
    const ids = new Map<string, Set<string>>();
    received
      .filter((delivery) => delivery.path === webhook.path && delivery.eventId !== undefined)
      .forEach((delivery) => {
        const set = ids.get(delivery.eventId ?? '') ?? new Set<string>();
        ids.set(delivery.eventId ?? '', set.add(delivery.webhookId));
      });
    const expected = alertEvents.filter((event) => webhook.events.includes(event.envelope?.type ?? ''));
    for (const event of expected) {
      const count = ids.get(event.envelope?.id ?? '')?.size ?? 0;
      observed += count === 1 ? 1 : 0;
      if (count !== 1) {
        failures.push(`${webhook.name}: ${event.envelope?.type} ${event.envelope?.id} delivered under ${count} ids`);
      }
    }
    const known = new Set(expected.map((event) => event.envelope?.id));
    [...ids.keys()]
      .filter((id) => !known.has(id))
      .forEach((id) => failures.push(`${webhook.name}: delivered ${id}, which is no event it subscribed to`));
  }
  return finding(
    'every alert event delivered once per subscribed webhook, signed',
    minimum,
    observed,
    failures,
    `${received.length} POSTs received, ${observed} (event, webhook) pairs delivered once, ${invalid.length} badly signed`,
  );
}
