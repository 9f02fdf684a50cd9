import ipaddr from 'ipaddr.js';
import { AlertingError, AlertingErrorCode } from '../alerting.errors';

/** Why a webhook URL (or the address it resolved to) is refused; named in the `invalid` answer. */
export type UrlRefusalReason =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'port_not_allowed'
  | 'internal_host_name'
  | 'loopback_address'
  | 'private_address'
  | 'link_local_address'
  | 'cloud_metadata_address'
  | 'multicast_address'
  | 'reserved_address'
  | 'unresolvable_host';

/**
 * A refused webhook URL, an alerting refusal answered `invalid` (the gateway answers 400): `reason` is stable, the
 * message says what was seen in the URL itself, never what our resolver answered for a name (that would map the
 * internal network for whoever registers webhooks).
 */
export class WebhookUrlRefused extends AlertingError {
  constructor(
    readonly reason: UrlRefusalReason,
    detail: string,
  ) {
    super(AlertingErrorCode.Invalid, `webhook URL refused: ${reason} (${detail})`);
  }
}

/** What the deployment allows. */
export interface UrlPolicy {
  /** Production: only https. */
  requireHttps: boolean;
  /**
   * Development and tests: loopback addresses (and `localhost`) are allowed, on any port (test receivers
   * listen on random ones); nothing else is relaxed.
   */
  allowLoopback: boolean;
  /** Ports a webhook may use (`ALERTING_WEBHOOK_ALLOWED_PORTS`); a URL without one uses its scheme's. */
  allowedPorts: ReadonlySet<number>;
}

export const URL_POLICY = Symbol('URL_POLICY');

/** A URL that passed the syntactic checks; `host` is the name or the IP literal without brackets. */
export interface ParsedTarget {
  url: URL;
  host: string;
  /** Set when the host is an IP literal (in any encoding the URL parser accepts: decimal, hex, octal, short). */
  ip: string | null;
  /** The port connected to: the URL's, or its scheme's. */
  port: number;
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
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const ip = ipaddr.isValid(host) ? host : null;
  if (ip !== null) {
    checkAddress(ip, policy);
    checkPort(port, classifyAddress(ip) === 'loopback_address', policy);
  } else {
    checkHostName(host, policy);
    // Where loopback is allowed, whether a name is loopback is known once it is resolved (`vetWebhookUrl`).
    if (!policy.allowLoopback || isLocalhostName(host)) {
      checkPort(port, isLocalhostName(host), policy);
    }
  }
  return { url, host, ip, port };
}

/**
 * Refuses a port outside the allow-list (SMTP, Redis, Postgres… of whatever the name leads to). A loopback
 * target, where the policy allows loopback (development and tests), may use any port.
 */
export function checkPort(port: number, loopbackTarget: boolean, policy: UrlPolicy): void {
  if (policy.allowedPorts.has(port) || (policy.allowLoopback && loopbackTarget)) {
    return;
  }
  throw new WebhookUrlRefused('port_not_allowed', `${port} (allowed: ${[...policy.allowedPorts].join(' ')})`);
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** Names that point inside by convention, and single-label names that a resolver's search list completes. */
function checkHostName(host: string, policy: UrlPolicy): void {
  if (isLocalhostName(host)) {
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
      | 'invalid_url'
      | 'scheme_not_allowed'
      | 'credentials_in_url'
      | 'port_not_allowed'
      | 'internal_host_name'
      | 'unresolvable_host'
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

/**
 * Classifies an address. An IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`, deprecated,
 * which ipaddr.js calls unicast) IPv6 address is judged as the IPv4 address it carries, and an
 * IPv4-compatible one carrying a public address is still reserved.
 */
export function classifyAddress(address: string): AddressClass {
  const parsed = ipaddr.process(address);
  const embedded = parsed.kind() === 'ipv6' ? ipv4Compatible(parsed.toByteArray()) : null;
  if (embedded !== null) {
    const kind = classifyAddress(embedded);
    return kind === 'public' ? 'reserved_address' : kind;
  }
  if (METADATA_ADDRESSES.has(parsed.toString())) {
    return 'cloud_metadata_address';
  }
  // Everything not listed (unspecified, broadcast, reserved, benchmarking, and 6to4, Teredo, NAT64 and
  // IPv4-translated, which embed an IPv4 address) is refused as reserved.
  return RANGE_CLASSES.get(parsed.range()) ?? 'reserved_address';
}

/** The IPv4 address in `::a.b.c.d` (the first 96 bits zero), except `::` and `::1`; null otherwise. */
function ipv4Compatible(bytes: number[]): string | null {
  if (bytes.slice(0, 12).some((byte) => byte !== 0)) {
    return null;
  }
  const v4 = bytes.slice(12);
  if (v4.slice(0, 3).every((byte) => byte === 0) && (v4[3] ?? 0) <= 1) {
    return null;
  }
  return v4.join('.');
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
