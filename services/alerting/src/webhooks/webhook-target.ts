import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UrlPolicy, WebhookUrlRefused, checkAddress, checkPort, classifyAddress, parseWebhookUrl } from './url-policy';

/** Turns a host name into addresses; injected so tests can answer with private or changing addresses. */
export interface HostResolver {
  resolve(host: string): Promise<string[]>;
}

export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

/** The operating system's resolver, every address of the name. */
export const systemResolver: HostResolver = {
  resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address),
};

/** A URL whose every address was checked, and the one address the connection must go to. */
export interface VettedTarget {
  url: URL;
  /** Host name (or IP literal) for SNI, certificate checks and the Host header. */
  host: string;
  address: string;
  family: 4 | 6;
}

/**
 * Checks a webhook URL and every address its name resolves to (a name with one private address among
 * public ones is refused: the connection could land on any). Run at registration and again before each
 * delivery, whose connection then goes to `address` and nowhere else (no second resolution to rebind).
 */
export async function vetWebhookUrl(raw: string, policy: UrlPolicy, resolver: HostResolver): Promise<VettedTarget> {
  const parsed = parseWebhookUrl(raw, policy);
  if (parsed.ip !== null) {
    return { url: parsed.url, host: parsed.host, address: parsed.ip, family: isIP(parsed.ip) === 6 ? 6 : 4 };
  }
  let addresses: string[];
  try {
    addresses = await resolver.resolve(parsed.host);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
    throw new WebhookUrlRefused('unresolvable_host', `${parsed.host}: ${code}`);
  }
  const [first] = addresses;
  if (first === undefined) {
    throw new WebhookUrlRefused('unresolvable_host', `${parsed.host}: no address`);
  }
  for (const address of addresses) {
    try {
      checkAddress(address, policy);
    } catch (error) {
      if (error instanceof WebhookUrlRefused) {
        // The address stays out of the answer: it would tell a tenant what our resolver sees inside.
        throw new WebhookUrlRefused(error.reason, `${parsed.host} resolves to a private or reserved address`);
      }
      throw error;
    }
  }
  const loopbackTarget = addresses.every((address) => classifyAddress(address) === 'loopback_address');
  checkPort(parsed.port, loopbackTarget, policy);
  return { url: parsed.url, host: parsed.host, address: first, family: isIP(first) === 6 ? 6 : 4 };
}
