import { Injectable } from '@nestjs/common';
import { entityKeysetPage } from '@shelfwatch/persistence';
import { RankingError } from '../ranking.errors';
import { normalizeMall } from '../rankings/standings';
import { Exclusion } from './catalog.entities';
import { CatalogWriter, pending } from './catalog-writer';
import {
  Page,
  RankingExclusionAddInput,
  RankingExclusionRefInput,
  RankingExclusionView,
  RankingListInput,
  decodeCursor,
  toPage,
} from '@shelfwatch/contracts';

/** An exclusion as callers see it (the contract's view). */
export type ExclusionView = RankingExclusionView;

function view(exclusion: Exclusion): ExclusionView {
  const { id, kind, value } = exclusion;
  return { id, kind, value, createdAt: exclusion.createdAt.toISOString() };
}

/** Products and malls that never count as a tenant's competitors. */
@Injectable()
export class ExclusionsService {
  constructor(private readonly writer: CatalogWriter) {}

  /** Adds an exclusion (mall names normalized); `tracking.exclusion.added`; a duplicate answers `conflict`. */
  add(input: RankingExclusionAddInput): Promise<ExclusionView> {
    return this.writer.write(input, ({ em, now, newId }) => {
      const value = input.kind === 'mall' ? normalizeMall(input.value) : input.value;
      const exclusion = new Exclusion({
        id: newId(),
        tenantId: input.tenantId,
        kind: input.kind,
        value,
        createdAt: now,
      });
      em.persist(exclusion);
      const data = { exclusionId: exclusion.id, kind: exclusion.kind, value };
      return Promise.resolve({
        result: view(exclusion),
        events: [pending('tracking.exclusion.added', data, exclusion.id)],
      });
    });
  }

  async list(input: RankingListInput): Promise<Page<ExclusionView>> {
    const em = this.writer.reader();
    const { rows, total } = await entityKeysetPage(
      em,
      Exclusion,
      { tenantId: input.tenantId },
      { limit: input.limit, after: decodeCursor(input.cursor) },
    );
    return toPage(rows, input.limit, total, view);
  }

  /** Removes an exclusion; `tracking.exclusion.removed`. */
  remove(input: RankingExclusionRefInput): Promise<{ exclusionId: string; removed: true }> {
    return this.writer.write(input, async ({ em }) => {
      const { exclusionId } = input;
      const deleted = await em.nativeDelete(Exclusion, { id: exclusionId, tenantId: input.tenantId });
      if (deleted === 0) {
        throw RankingError.notFound('exclusion', exclusionId);
      }
      return {
        result: { exclusionId, removed: true },
        events: [pending('tracking.exclusion.removed', { exclusionId }, exclusionId)],
      };
    });
  }
}
