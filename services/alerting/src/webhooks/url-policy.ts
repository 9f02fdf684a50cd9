import ipaddr from 'ipaddr.js';

/** Why a webhook URL (or the address it resolved to) is refused; named in the `invalid` answer. */
export type UrlRefusalReason =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'internal_host_name'
  | 'loopback_address'
  | 'private_address'
  | 'link_local_address'
  | 'cloud_metadata_address'
  | 'multicast_address'
  | 'reserved_address'
  | 'unresolvable_host';

/** A refused webhook URL: `reason` is stable, the message says what was seen. */
export class WebhookUrlRefused extends Error {
  constructor(
    readonly reason: UrlRefusalReason,
    detail: string,
  ) {
    super(`webhook URL refused: ${reason} (${detail})`);
    this.name = 'WebhookUrlRefused';
  }
}

/** What the deployment allows. */
export interface UrlPolicy {
  /** Production: only https. */
  requireHttps: boolean;
  /** Development and tests: loopback addresses (and `localhost`) are allowed; nothing else is relaxed. */
  allowLoopback: boolean;
}

export const URL_POLICY = Symbol('URL_POLICY');

/** A URL that passed the syntactic checks; `host` is the name or the IP literal without brackets. */
export interface ParsedTarget {
  url: URL;
  host: string;
  /** Set when the host is an IP literal (in any encoding the URL parser accepts: decimal, hex, octal, short). */
  ip: string | null;
}

/** Instance metadata services that do not sit in an already refused range by accident of numbering. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);
const INTERNAL_NAME_SUFFIXES = ['.localhost', '.internal', '.local', '.localdomain', '.home.arpa'];

/**
 * Parses and checks a webhook URL without touching the network. The WHATWG parser already turns
 * `http://2130706433`, `http://0x7f.1`, `http://0177.0.0.1` or `http://127.1` into `127.0.0.1`, so the
 * address checks see the canonical form.
 */
export function parseWebhookUrl(raw: string, policy: UrlPolicy): ParsedTarget {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebhookUrlRefused('invalid_url', 'not an absolute URL');
  }
  const allowed = policy.requireHttps ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    throw new WebhookUrlRefused('scheme_not_allowed', `${url.protocol} (allowed: ${allowed.join(' ')})`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new WebhookUrlRefused('credentials_in_url', 'user info is not allowed; use the signing secret');
  }
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === '') {
    throw new WebhookUrlRefused('invalid_url', 'no host');
  }
  if (ipaddr.isValid(host)) {
    checkAddress(host, policy);
    return { url, host, ip: host };
  }
  checkHostName(host, policy);
  return { url, host, ip: null };
}

/** Names that point inside by convention, and single-label names that a resolver's search list completes. */
function checkHostName(host: string, policy: UrlPolicy): void {
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (policy.allowLoopback) {
      return;
    }
    throw new WebhookUrlRefused('loopback_address', host);
  }
  if (!host.includes('.') || INTERNAL_NAME_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    throw new WebhookUrlRefused('internal_host_name', host);
  }
}

type AddressClass =
  | 'public'
  | Exclude<
      UrlRefusalReason,
      'invalid_url' | 'scheme_not_allowed' | 'credentials_in_url' | 'internal_host_name' | 'unresolvable_host'
    >;

/** ipaddr.js range names that are not simply "reserved". */
const RANGE_CLASSES: ReadonlyMap<string, AddressClass> = new Map<string, AddressClass>([
  ['unicast', 'public'],
  ['loopback', 'loopback_address'],
  ['private', 'private_address'],
  ['uniqueLocal', 'private_address'],
  ['carrierGradeNat', 'private_address'],
  ['linkLocal', 'link_local_address'],
  ['multicast', 'multicast_address'],
]);

/** Classifies an address; an IPv4-mapped IPv6 address is judged as the IPv4 address it carries. */
export function classifyAddress(address: string): AddressClass {
  const parsed = ipaddr.process(address);
  if (METADATA_ADDRESSES.has(parsed.toString())) {
    return 'cloud_metadata_address';
  }
  // Everything not listed (unspecified, broadcast, reserved, benchmarking, 6to4, Teredo, NAT64, which embed IPv4) is refused as reserved.
  return RANGE_CLASSES.get(parsed.range()) ?? 'reserved_address';
}

/** Throws unless the address is public unicast (or loopback while the policy allows it). */
export function checkAddress(address: string, policy: UrlPolicy): void {
  if (!ipaddr.isValid(address)) {
    throw new WebhookUrlRefused('unresolvable_host', `not an address: ${address}`);
  }
  const kind = classifyAddress(address);
  if (kind === 'public' || (kind === 'loopback_address' && policy.allowLoopback)) {
    return;
  }
  throw new WebhookUrlRefused(kind, address);
}
