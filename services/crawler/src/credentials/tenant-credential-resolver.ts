import type { Clock } from '@shelfwatch/messaging';
import {
  CredentialResolver,
  CredentialSummary,
  PlatformCredentialResolver,
  ResolvedCredential,
} from '../marketplaces/marketplace-credentials';
import { MarketplaceError } from '../marketplaces/marketplace-error';
import type { MarketplaceRegistry } from '../marketplaces/marketplace-registry';
import type { MarketplaceCredentials } from '../marketplaces/marketplace-adapter';
import { CredentialCipher, CredentialOwner, CredentialUnreadable, SealedCredentials } from './credential-cipher';
import type { CredentialStore } from './credential.store';

/** `last_used_at` is written at most this often per row, so busy tenants do not write on every crawl. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** The budget key of a tenant's own credentials of a marketplace. */
export function tenantBudgetKey(marketplace: string, tenantId: string): string {
  return `${marketplace}:tenant:${tenantId}`;
}

/**
 * A tenant's own credentials of the marketplace when it stored some (its own budget), else the platform's, else
 * `auth_failed` naming the variables. Stored credentials that cannot be opened fail the crawl with `auth_failed`
 * rather than silently spending the platform's budget.
 */
export class TenantCredentialResolver implements CredentialResolver {
  private readonly platform: PlatformCredentialResolver;

  constructor(
    registry: MarketplaceRegistry,
    private readonly store: CredentialStore,
    private readonly cipher: CredentialCipher,
    private readonly clock: Clock,
  ) {
    this.platform = new PlatformCredentialResolver(registry);
  }

  async resolve(tenantId: string, marketplace: string): Promise<ResolvedCredential> {
    const owner = { tenantId, marketplace };
    const stored = await this.store.find(owner);
    if (!stored) {
      return this.platform.resolve(tenantId, marketplace);
    }
    const credentials = this.open(owner, stored.sealed);
    await this.store.markUsed(owner, this.clock.now(), LAST_USED_RESOLUTION_MS);
    return { marketplace, source: 'tenant', budgetKey: tenantBudgetKey(marketplace, tenantId), credentials };
  }

  private open(owner: CredentialOwner, sealed: SealedCredentials): MarketplaceCredentials {
    try {
      return this.cipher.open(owner, sealed);
    } catch (error) {
      if (error instanceof CredentialUnreadable) {
        throw new MarketplaceError('auth_failed', {
          message: `the tenant's own ${owner.marketplace} credentials cannot be read (${error.message}): put them again`,
        });
      }
      throw error;
    }
  }

  async summary(tenantId: string, marketplace: string): Promise<CredentialSummary> {
    const stored = await this.store.find({ tenantId, marketplace });
    if (!stored) {
      return this.platform.summary(tenantId, marketplace);
    }
    return { source: 'tenant', last4: stored.last4, lastUsedAt: stored.lastUsedAt, updatedAt: stored.updatedAt };
  }
}
