import { Migration } from '@mikro-orm/migrations';

/**
 * The site a scheduled keyword is searched on (eBay `EBAY_GB`, …), from `tracking.keyword.added`; null for
 * marketplaces without sites and for keywords scheduled before sites existed (all Naver's).
 */
export class Migration20261204092000KeywordSites extends Migration {
  override up(): void {
    this.addSql('alter table crawler.keywords add column site text null');
  }
}
