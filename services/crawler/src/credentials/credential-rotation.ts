import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { CredentialCipher, CredentialOwner, CredentialUnreadable } from './credential-cipher';
import { CredentialStore } from './credential.store';

/** What one re-sealing pass did. */
export interface ResealOutcome {
  resealed: number;
  /** Rows under a key the ring no longer holds, or altered: left as they are (their tenant must put them again). */
  unreadable: number;
}

const BATCH = 100;

/**
 * Key rotation, step 2 of 3 (docs/security.md): with a new key first in `CRAWLER_CREDENTIALS_KEYS`, every row
 * sealed under another key is opened and sealed again under the first, at each boot. Once a boot logged
 * `resealed` with no row left, the old key can be dropped.
 */
@Injectable()
export class CredentialRotation implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    private readonly store: CredentialStore,
    private readonly cipher: CredentialCipher,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: CredentialRotation.name });
  }

  async onApplicationBootstrap(): Promise<void> {
    const outcome = await this.resealAll();
    const fields = { ...outcome, keyId: this.cipher.primaryKeyId };
    if (outcome.unreadable > 0) {
      this.logger.warn(
        fields,
        'some tenant credentials cannot be opened with CRAWLER_CREDENTIALS_KEYS; their tenants must put them again',
      );
    } else if (outcome.resealed > 0) {
      this.logger.info(fields, 'tenant credentials re-sealed under the first key of CRAWLER_CREDENTIALS_KEYS');
    }
  }

  /** Re-seals every row not under the primary key; a row changed meanwhile (a PUT, another replica) is skipped. */
  async resealAll(): Promise<ResealOutcome> {
    const outcome: ResealOutcome = { resealed: 0, unreadable: 0 };
    let after: CredentialOwner | null = null;
    for (;;) {
      const rows = await this.store.sealedUnderOtherKeys(this.cipher.primaryKeyId, after, BATCH);
      for (const row of rows) {
        try {
          const credentials = this.cipher.open(row, row.sealed);
          if (await this.store.reseal(row, this.cipher.seal(row, credentials))) {
            outcome.resealed += 1;
          }
        } catch (error) {
          if (!(error instanceof CredentialUnreadable)) {
            throw error;
          }
          outcome.unreadable += 1;
        }
      }
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) {
        return outcome;
      }
      after = { tenantId: last.tenantId, marketplace: last.marketplace };
    }
  }
}
