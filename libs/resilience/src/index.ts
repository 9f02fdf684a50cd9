export * from './breaker';
export * from './errors';
export { BREAKER_STATE_VALUE, type BreakerCallOutcome, RESILIENCE_METRICS, type RetryAttemptOutcome } from './metrics';
export * from './retry';
export * from './background-loops';
