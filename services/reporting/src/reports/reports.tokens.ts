/** Injection token of the report caches' TTL and size ({@link ReportCacheOptions}). */
export const REPORT_CACHE_OPTIONS = Symbol('REPORT_CACHE_OPTIONS');
