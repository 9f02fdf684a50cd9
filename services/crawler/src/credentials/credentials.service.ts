import { Inject, Injectable } from '@nestjs/common';
import { Secret } from '@shelfwatch/config';
import type { CrawlerCredentialsStored, CrawlerCredentialsView } from '@shelfwatch/contracts';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import type { MarketplaceCredentials } from '../marketplaces/marketplace-adapter';
import { MARKETPLACE_CLIENTS, MarketplaceClients } from '../marketplaces/marketplace-clients';
import { CREDENTIAL_RESOLVER, CredentialResolver } from '../marketplaces/marketplace-credentials';
import { isMarketplaceError } from '../marketplaces/marketplace-error';
import { CredentialCipher, CredentialOwner } from './credential-cipher';
import { CredentialStore, StoredCredentials } from './credential.store';
import { CredentialsError } from './credentials.errors';
import { tenantBudgetKey } from './tenant-credential-resolver';

/** The keyword of the live check: one result of a harmless search. */
export const CHECK_KEYWORD = 'shelfwatch';
/** The live check gives up after this, well within the gateway's request timeout (5 s by default). */
export const CHECK_TIMEOUT_MS = 4_000;

/** What the tenant sees of stored credentials. */
function storedView(stored: StoredCredentials): CrawlerCredentialsStored {
  return {
    marketplace: stored.marketplace,
    source: 'tenant',
    last4: stored.last4,
    updatedAt: stored.updatedAt.toISOString(),
    lastUsedAt: stored.lastUsedAt?.toISOString() ?? null,
  };
}

/** A tenant's own marketplace credentials: checked with one live call, stored sealed, never given back. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly store: CredentialStore,
    private readonly cipher: CredentialCipher,
    @Inject(MARKETPLACE_CLIENTS) private readonly clients: MarketplaceClients,
    @Inject(CREDENTIAL_RESOLVER) private readonly resolver: CredentialResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * 1. one live search with the new credentials (their own budget): refused → `credentials_rejected`, no answer
   *    → `credentials_unverified`; 2. seal and store them, replacing earlier ones.
   */
  async put(owner: CredentialOwner, clientId: string, clientSecret?: string): Promise<CrawlerCredentialsStored> {
    // No secret (Rakuten without an access key) is an empty one: the adapter then sends none.
    const credentials = { clientId: new Secret(clientId), clientSecret: new Secret(clientSecret ?? '') };
    await this.check(owner, credentials);
    const sealed = this.cipher.seal(owner, credentials);
    return storedView(await this.store.put(owner, sealed, clientId.slice(-4), this.clock.now()));
  }

  async get(owner: CredentialOwner): Promise<CrawlerCredentialsView> {
    const summary = await this.resolver.summary(owner.tenantId, owner.marketplace);
    return {
      marketplace: owner.marketplace,
      source: summary.source,
      last4: summary.last4,
      lastUsedAt: summary.lastUsedAt?.toISOString() ?? null,
      updatedAt: summary.updatedAt?.toISOString() ?? null,
    };
  }

  async delete(owner: CredentialOwner): Promise<{ deleted: true }> {
    if (!(await this.store.delete(owner))) {
      throw CredentialsError.notFound(owner.marketplace);
    }
    return { deleted: true };
  }

  private async check(owner: CredentialOwner, credentials: MarketplaceCredentials): Promise<void> {
    const client = this.clients.get(owner.marketplace);
    if (!client) {
      throw CredentialsError.unverified(owner.marketplace, 'this crawler has no client of it');
    }
    try {
      await client.search({
        keyword: CHECK_KEYWORD,
        site: null,
        start: 1,
        display: 1,
        tenantId: owner.tenantId,
        credential: {
          marketplace: owner.marketplace,
          source: 'tenant',
          budgetKey: tenantBudgetKey(owner.marketplace, owner.tenantId),
          credentials,
        },
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      });
    } catch (error) {
      if (isMarketplaceError(error) && error.code === 'auth_failed') {
        throw CredentialsError.rejected(owner.marketplace, error.httpStatus);
      }
      throw CredentialsError.unverified(owner.marketplace, isMarketplaceError(error) ? error.code : 'unexpected error');
    }
  }
}
