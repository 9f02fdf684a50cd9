import { HealthConfig } from '../health.config';

/** What the detailed view checks against. */
export interface HealthDetailsOptions {
  expectedServices: string[];
  crawlIntervalMinutes: number;
  lagThreshold: number;
  checkTimeoutMs: number;
}

export const HEALTH_DETAILS_OPTIONS = Symbol('HEALTH_DETAILS_OPTIONS');

export function healthDetailsOptions(config: HealthConfig): HealthDetailsOptions {
  return {
    expectedServices: config.expectedServices
      .split(',')
      .map((service) => service.trim())
      .filter((service) => service !== ''),
    crawlIntervalMinutes: config.crawlIntervalMinutes,
    lagThreshold: config.lagThreshold,
    checkTimeoutMs: config.checkTimeoutMs,
  };
}
