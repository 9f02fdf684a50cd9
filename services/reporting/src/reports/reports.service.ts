import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  REPORTING_BRANDS_MAX_RANGE_DAYS,
  REPORTING_MAX_HISTORY_POINTS,
  REPORTING_MAX_RANGE_DAYS,
  ReportingBrandsView,
  ReportingDashboardView,
  ReportingExportPage,
  ReportingPriceHistoryView,
  ReportingRankHistoryView,
  reportingBrandsRequest,
  reportingExportPageRequest,
  reportingPriceHistoryRequest,
  reportingRankHistoryRequest,
} from '@shelfwatch/contracts';
import { CLOCK, Clock, EncodedAnswer } from '@shelfwatch/messaging';
import { z } from 'zod';
import { freshEm } from '@shelfwatch/persistence';
import { CacheVersionsStore, dashboardScope } from '../cache/cache-versions.store';
import { ReportCache } from '../cache/report-cache';
import { ReportingError } from '../reporting.errors';
import { REPORT_CACHE_OPTIONS } from './reports.tokens';
import { ReportCacheOptions } from '../cache/report-cache';
import { brandShare } from './brands.query';
import { dashboard } from './dashboard.query';
import { exportPage } from './export.query';
import { historySeriesCount, keywordKnown, priceHistory, productKnown, rankHistory } from './history.query';
import { checkedRange, dayRange, tooManyPoints } from './time-range';

/**
 * Answers the gateway's report routes; the dashboard and brand share go through a versioned cache, which keeps each
 * answer encoded as its reply (`EncodedAnswer`): a hit sends those bytes again instead of serialising the answer
 * (0.2 ms of a 28 KB brand share) and allocating it anew, and a cached answer takes its size in bytes, not objects.
 */
@Injectable()
export class ReportsService {
  readonly dashboards: ReportCache<EncodedAnswer<ReportingDashboardView>>;
  readonly brands: ReportCache<EncodedAnswer<ReportingBrandsView>>;

  constructor(
    private readonly orm: MikroORM,
    private readonly cacheVersions: CacheVersionsStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REPORT_CACHE_OPTIONS) cacheOptions: ReportCacheOptions,
  ) {
    const now = (): number => this.clock.now().getTime();
    this.dashboards = new ReportCache('dashboard', cacheOptions, now);
    this.brands = new ReportCache('brands', cacheOptions, now);
  }

  async dashboard(tenantId: string): Promise<EncodedAnswer<ReportingDashboardView>> {
    const em = freshEm(this.orm);
    const version = await this.cacheVersions.version(em, tenantId, dashboardScope);
    return this.dashboards.get(tenantId, version, async () =>
      EncodedAnswer.of(await dashboard(em, tenantId, this.clock.now())),
    );
  }

  async brandShare(input: z.infer<typeof reportingBrandsRequest>): Promise<EncodedAnswer<ReportingBrandsView>> {
    const range = checkedRange(input.from, input.to, REPORTING_BRANDS_MAX_RANGE_DAYS);
    const em = freshEm(this.orm);
    const version = await this.cacheVersions.brandsVersion(
      em,
      input.tenantId,
      input.keywordId,
      dayRange(range.from, range.to),
    );
    const key = [input.tenantId, input.keywordId, range.from, range.to, input.topN].join('|');
    return this.brands.get(key, version, async () => {
      const view = await brandShare(em, { ...input, ...range });
      // As for a history (requireProduct): the keyword's slots are the tenant's own rows, so only an empty answer
      // needs to know whether the tenant ever linked the keyword.
      if (view.days.length === 0 && !(await keywordKnown(em, input.tenantId, input.keywordId))) {
        throw ReportingError.notFound('keyword', input.keywordId);
      }
      return EncodedAnswer.of(view);
    });
  }

  async rankHistory(input: z.infer<typeof reportingRankHistoryRequest>): Promise<ReportingRankHistoryView> {
    const range = checkedRange(input.from, input.to, REPORTING_MAX_RANGE_DAYS[input.bucket]);
    const em = freshEm(this.orm);
    const series = await rankHistory(em, { ...input, ...range }, REPORTING_MAX_HISTORY_POINTS);
    if (series === null) {
      const count = await historySeriesCount(em, { ...input, ...range });
      throw ReportingError.invalid(tooManyPoints(count, input.bucket));
    }
    if (series.length === 0) {
      await this.requireProduct(input.tenantId, input.productId);
    }
    return { productId: input.productId, bucket: input.bucket, ...range, series };
  }

  async priceHistory(input: z.infer<typeof reportingPriceHistoryRequest>): Promise<ReportingPriceHistoryView> {
    const range = checkedRange(input.from, input.to, REPORTING_MAX_RANGE_DAYS[input.bucket]);
    const points = await priceHistory(freshEm(this.orm), { ...input, ...range });
    if (points.length === 0) {
      await this.requireProduct(input.tenantId, input.productId);
    }
    return { productId: input.productId, keywordId: input.keywordId, bucket: input.bucket, ...range, points };
  }

  /** Exports are not range-capped: they are read chunk by chunk. */
  exportPage(input: z.infer<typeof reportingExportPageRequest>): Promise<ReportingExportPage> {
    const range = checkedRange(input.from, input.to, Number.MAX_SAFE_INTEGER);
    return exportPage(this.orm, { ...input, ...range });
  }

  /**
   * A history asks this only when its range holds none of the product's rows: the buckets are the tenant's own rows
   * of the product (their key begins with tenant and product), so any row proves the tenant tracked it, and the
   * common answer costs one round trip instead of two. An empty range answers `not_found` for a product the tenant
   * never tracked, and an empty history for one it did.
   */
  private async requireProduct(tenantId: string, productId: string): Promise<void> {
    if (!(await productKnown(freshEm(this.orm), tenantId, productId))) {
      throw ReportingError.notFound('product', productId);
    }
  }
}
