import { loadGatewayConfig } from './gateway.config';

describe('gateway configuration: trusted proxies', () => {
  it('trusts no proxy by default, so X-Forwarded-For never picks the client address', () => {
    expect(loadGatewayConfig({}).trustedProxies).toEqual([]);
  });

  it('takes addresses and CIDR ranges, and refuses anything else naming the variable', () => {
    expect(loadGatewayConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      'fd00::/8',
    ]);
    for (const bad of ['true', '*', '10.0.0.0/33', 'ingress.local', '10.0.0.1/8/2']) {
      expect(() => loadGatewayConfig({ TRUSTED_PROXIES: bad })).toThrow('TRUSTED_PROXIES');
    }
  });
});

describe('gateway configuration: the admin key in production', () => {
  const production = {
    NODE_ENV: 'production',
    NATS_URL: 'nats://nats:4222',
    DATABASE_URL: 'postgres://gateway:pw@db:5432/shelfwatch',
    NATS_USER: 'gateway',
    NATS_PASSWORD: 'gateway-nats-password-0123456789',
  };
  /** What `openssl rand -hex 24` gives. */
  const generated = '9f3c1be07a5d42e8b61f0c93d7a2e4586b1c0f9e3a7d25c4';

  it('accepts a generated key', () => {
    expect(loadGatewayConfig({ ...production, ADMIN_API_KEY: generated }).adminApiKey.value.reveal()).toBe(generated);
  });

  it.each([
    ['short', 'k3y-Q8vZ1x'],
    ['a placeholder', 'please-change-this-admin-key-before-going-live'],
    ['a test key of ours', 'e2e-admin-key-0123456789abcdef'],
    ['one character', 'a'.repeat(64)],
    ['a repeated pattern', '0123456789abcdef'.repeat(3)],
    ['few distinct characters', 'abababababababababbabababababaabbaba'],
  ])('refuses %s, naming the variable and never echoing the value', (_what, weak) => {
    let message = '';
    try {
      loadGatewayConfig({ ...production, ADMIN_API_KEY: weak });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('ADMIN_API_KEY');
    expect(message).not.toContain(weak);
  });

  it('keeps accepting any key outside production, where tests and development use short ones', () => {
    expect(loadGatewayConfig({ ADMIN_API_KEY: 'dev' }).adminApiKey.value.reveal()).toBe('dev');
  });
});

describe('gateway configuration: idempotency claims', () => {
  it('refuses an in-flight expiry that a live request could outlast, so it never runs twice', () => {
    expect(loadGatewayConfig({}).idempotencyInFlightSeconds).toBe(30);
    expect(() => loadGatewayConfig({ IDEMPOTENCY_IN_FLIGHT_SECONDS: '5', DOWNSTREAM_TIMEOUT_MS: '5000' })).toThrow(
      'IDEMPOTENCY_IN_FLIGHT_SECONDS',
    );
  });
});

describe('gateway configuration: the shared rate limit', () => {
  it('limits in each replica alone when no Redis is configured', () => {
    const config = loadGatewayConfig({});
    expect(config.rateLimitRedisUrl).toBeNull();
    expect(config.rateLimitFallbackReplicas).toBe(1);
  });

  it('takes a redis:// or rediss:// URL as a secret, never echoing it', () => {
    const url = 'redis://:hunter2-password@redis:6379/3';
    const config = loadGatewayConfig({ RATE_LIMIT_REDIS_URL: url, RATE_LIMIT_FALLBACK_REPLICAS: '2' });
    expect(config.rateLimitRedisUrl?.value.reveal()).toBe(url);
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(config.rateLimitFallbackReplicas).toBe(2);
  });

  it('refuses another protocol and a timeout out of bounds, naming the variable', () => {
    expect(() => loadGatewayConfig({ RATE_LIMIT_REDIS_URL: 'http://redis:6379' })).toThrow('RATE_LIMIT_REDIS_URL');
    expect(() => loadGatewayConfig({ RATE_LIMIT_REDIS_TIMEOUT_MS: '0' })).toThrow('RATE_LIMIT_REDIS_TIMEOUT_MS');
  });
});
