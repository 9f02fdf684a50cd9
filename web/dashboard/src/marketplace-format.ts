import { ApiError } from './api';
import { dateTime } from './format';
import { ebaySiteLabel } from './marketplace-choice';
import type {
  MarketplaceCapabilities,
  MarketplaceCredentials,
  MarketplaceStatus,
  OrderFidelity,
  TenantPlan,
  TenantUsage,
} from './types';

/** A marketplace state as a badge: words (colour is never the only cue) and the class that colours it. */
export function stateBadge(state: MarketplaceStatus['state']): { text: string; tone: string } {
  switch (state) {
    case 'ok':
      return { text: 'Working normally', tone: 'state-ok' };
    case 'degraded':
      return { text: 'Degraded: some crawls fail or wait', tone: 'state-degraded' };
    case 'unhealthy':
      return { text: 'Unhealthy: crawls are failing', tone: 'state-unhealthy' };
    case 'unknown':
      return { text: 'Unknown: no recent crawl to judge by', tone: 'state-unknown' };
    default: {
      const never: never = state;
      return { text: String(never), tone: 'state-unknown' };
    }
  }
}

/** The circuit breaker in words. */
export function breakerText(breaker: MarketplaceStatus['breaker']): string {
  switch (breaker) {
    case 'closed':
      return 'Requests flow normally';
    case 'open':
      return 'Requests stopped after repeated failures';
    case 'halfOpen':
      return 'Trying again with a few requests';
    default: {
      const never: never = breaker;
      return String(never);
    }
  }
}

/** The facts of a status, as label/value lines for a description list. */
export function statusFacts(status: MarketplaceStatus): [string, string][] {
  const rate =
    status.successRateLastHour === null
      ? 'no crawl finished in the last hour'
      : `${Math.round(status.successRateLastHour * 100)} % of ${status.crawlsLastHour} crawls`;
  const facts: [string, string][] = [
    ['Circuit breaker', breakerText(status.breaker)],
    [
      'Requests today',
      `${status.requestsToday.toLocaleString()} of ${status.dailyQuota.toLocaleString()} (resets ${dateTime(status.quotaResetsAt)})`,
    ],
    ['Succeeded in the last hour', rate],
    ['Keywords overdue', String(status.keywordsOverdue)],
  ];
  if (status.pausedUntil !== null) {
    facts.push(['Paused until', dateTime(status.pausedUntil)]);
  }
  facts.push([
    'Last error',
    status.lastError === null
      ? 'none'
      : `${status.lastError.code}: ${status.lastError.message} (${dateTime(status.lastError.at)})`,
  ]);
  return facts;
}

/** Which credentials the tenant's crawls use, in words; the secret is never shown, only the id's last 4. */
export function credentialsText(credentials: MarketplaceCredentials): string {
  switch (credentials.source) {
    case 'tenant':
      return `Your own (client id …${credentials.last4 ?? '????'})`;
    case 'platform':
      return "ShelfWatch's shared credentials (your plan's share of the daily budget)";
    case 'none':
      return 'None: crawls of this marketplace cannot run until credentials are stored';
    default: {
      const never: never = credentials.source;
      return String(never);
    }
  }
}

/** The failure of storing credentials as a sentence a seller can act on. */
export function credentialsFailure(error: unknown, marketplaceName: string): string {
  if (error instanceof ApiError && error.slug === 'credentials-rejected') {
    return (
      `${marketplaceName} did not accept these credentials, so they were not saved. ` +
      'Check the client id and secret (copy them again from the developer console) and try again.'
    );
  }
  if (error instanceof ApiError && error.slug === 'credentials-unverified') {
    return (
      `${marketplaceName} could not be asked whether these credentials work, so they were not saved. ` +
      'Try again in a few minutes.'
    );
  }
  if (error instanceof ApiError && error.status === 404) {
    return 'No credentials of yours were stored for this marketplace.';
  }
  return error instanceof Error ? error.message : 'The credentials could not be saved.';
}

/** The plan in one line. */
export function planText(plan: TenantPlan): string {
  return (
    `${plan.name} plan: up to ${plan.maxKeywords.toLocaleString()} keywords, each crawled at most every ` +
    `${plan.minIntervalMinutes} minutes, share weight ${plan.shareWeight}.`
  );
}

/** Today's use of a marketplace's budget, with a warning when it is used up. */
export function usageText(usage: TenantUsage): { text: string; warning: string | null } {
  const used = usage.usedToday.toLocaleString();
  const text =
    usage.shareToday === null
      ? `${usage.marketplace}: ${used} requests today with your own credentials (no share applies).`
      : `${usage.marketplace}: ${used} of your ${usage.shareToday.toLocaleString()} requests today ` +
        `(${usage.shareToday > 0 ? Math.min(100, Math.round((usage.usedToday / usage.shareToday) * 100)) : 100} %).`;
  const warning = usage.exhausted
    ? `Your share of today's ${usage.marketplace} requests is used up: scheduled crawls wait until ${dateTime(usage.resetsAt)}.`
    : null;
  return { text, warning };
}

/** How a marketplace orders its results, in words. */
export function orderFidelityText(fidelity: OrderFidelity): string {
  switch (fidelity) {
    case 'exact':
      return 'Exact: ranks are the order shoppers see';
    case 'approximate':
      return "Approximate (≈): the API's order approximates what shoppers see, which varies by buyer and location";
    default: {
      const never: never = fidelity;
      return String(never);
    }
  }
}

/** What a marketplace's search API can do, as label/value lines for a description list. */
export function capabilityFacts(capabilities: MarketplaceCapabilities): [string, string][] {
  const sites = capabilities.sites.map((site) => (site.startsWith('EBAY_') ? ebaySiteLabel(site) : site));
  return [
    ['Results per request', capabilities.pageSize.toLocaleString()],
    ['Deepest rank it returns', `#${capabilities.maxDepth.toLocaleString()}`],
    [
      'Request rate',
      `${capabilities.ratePerSecond.toLocaleString()} a second, ${capabilities.dailyQuota.toLocaleString()} a day`,
    ],
    ['Result order', orderFidelityText(capabilities.orderFidelity)],
    [
      'Listing details',
      capabilities.fields.length === 0 ? 'none beyond title, mall and price' : capabilities.fields.join(', '),
    ],
    ['Currencies', capabilities.currencies.join(', ')],
    ['Sites', sites.length === 0 ? 'one' : sites.join('; ')],
  ];
}
