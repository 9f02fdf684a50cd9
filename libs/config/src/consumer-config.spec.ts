import { ConfigError } from './config-error';
import { loadServiceConfig } from './service-config';

const production = {
  NODE_ENV: 'production',
  NATS_URL: 'nats://nats:4222',
  DATABASE_URL: 'postgres://ranking@db:5432/shelfwatch',
  NATS_USER: 'ranking',
  NATS_PASSWORD: 'ranking-nats-password-0123456789',
};

describe('consumer configuration', () => {
  it('defaults: 30 s handler timeout, 1 s doubling to 30 s, 8 unclassified failures, a week of inbox', () => {
    const config = loadServiceConfig('ranking', {}, {});
    expect(config.consumerHandlerTimeoutMs).toBe(30_000);
    expect(config.consumerRedeliveryBaseMs).toBe(1_000);
    expect(config.consumerMaxRedeliveryDelayMs).toBe(30_000);
    expect(config.consumerMaxUnclassifiedFailures).toBe(8);
    expect(config.inboxRetainHours).toBe(168);
  });

  it('accepts test-fast back-off outside production', () => {
    const config = loadServiceConfig('ranking', {}, { CONSUMER_MAX_REDELIVERY_DELAY_MS: '200' });
    expect(config.consumerMaxRedeliveryDelayMs).toBe(200);
  });

  it('refuses in production a back-off cap or a handler timeout that would make retries spin', () => {
    const load = () =>
      loadServiceConfig(
        'ranking',
        {},
        {
          ...production,
          CONSUMER_MAX_REDELIVERY_DELAY_MS: '200',
          CONSUMER_HANDLER_TIMEOUT_MS: '100',
        },
      );
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((problem) => problem.variable).sort();
      expect(problems).toEqual(['CONSUMER_HANDLER_TIMEOUT_MS', 'CONSUMER_MAX_REDELIVERY_DELAY_MS']);
    }
  });
});
