import { inspect } from 'node:util';
import { ConfigError } from './config-error';
import { Secret } from './secret';
import { loadServiceConfig, natsCredentials } from './service-config';
import { integer, requiredSecret, secret } from './variables';

const crawlerExtra = {
  naverClientSecret: secret('NAVER_CLIENT_SECRET'),
  adminKey: requiredSecret('ADMIN_API_KEY', { generateInDev: true }),
};

describe('loadServiceConfig', () => {
  it('gives every documented default outside production', () => {
    const config = loadServiceConfig('ranking', {}, {});
    expect(config.port).toBe(3002);
    expect(config.natsUrl.value.reveal()).toBe('nats://127.0.0.1:4222');
    expect(config.databaseUrl.value.reveal()).toBe('postgres://postgres@127.0.0.1:5432/shelfwatch');
    expect(config.logLevel).toBe('info');
    expect(config.service).toBe('ranking');
  });

  it('in production refuses to start without secrets and names each missing variable', () => {
    const load = () => loadServiceConfig('gateway', crawlerExtra, { NODE_ENV: 'production' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((problem) => problem.variable).sort();
      expect(problems).toEqual(['ADMIN_API_KEY', 'DATABASE_URL', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER']);
      expect((error as Error).message).toContain('DATABASE_URL: is a secret and is required in production');
    }
  });

  it('connects to NATS without credentials outside production, and refuses half a user or a weak password', () => {
    expect(natsCredentials('ranking', loadServiceConfig('ranking', {}, {}))).toBeNull();
    const given = loadServiceConfig('ranking', {}, { NATS_USER: 'ranking', NATS_PASSWORD: 'short' });
    expect(natsCredentials('ranking', given)).toEqual({ user: 'ranking', password: expect.any(Secret) });
    expect(natsCredentials('ranking', given)?.password.reveal()).toBe('short');
    expect(() => loadServiceConfig('ranking', {}, { NATS_USER: 'ranking' })).toThrow(
      'NATS_PASSWORD: is required when NATS_USER is set',
    );
    expect(() => loadServiceConfig('ranking', {}, { NATS_PASSWORD: 'p' })).toThrow(
      'NATS_USER: is required when NATS_PASSWORD is set',
    );
    const production = {
      NODE_ENV: 'production',
      NATS_URL: 'nats://nats:4222',
      DATABASE_URL: 'postgres://ranking:pw@db/x',
      NATS_USER: 'ranking',
    };
    expect(() => loadServiceConfig('ranking', {}, { ...production, NATS_PASSWORD: 'ranking' })).toThrow(
      'NATS_PASSWORD: is too weak for production: at least 16 characters',
    );
    expect(() => loadServiceConfig('ranking', {}, { ...production, NATS_PASSWORD: '1e5-is-a-number-to-nats' })).toThrow(
      'NATS_PASSWORD: must be a letter, then letters, digits, _ or -',
    );
    const strong = loadServiceConfig('ranking', {}, { ...production, NATS_PASSWORD: 'a-long-random-password' });
    expect(natsCredentials('ranking', strong)?.user).toBe('ranking');
  });

  it('generates a development admin key and says it did', () => {
    const config = loadServiceConfig('gateway', crawlerExtra, {});
    expect(config.adminKey.generated).toBe(true);
    expect(config.adminKey.value.reveal()).toMatch(/^[\w-]{32}$/);
    expect(config.naverClientSecret).toBeNull();
  });

  it('rejects a bad value with the variable name and never echoes a secret', () => {
    const env = { PORT: 'eighty', DATABASE_URL: 'mysql://user:hunter2@db/x' };
    try {
      loadServiceConfig('gateway', {}, env);
      throw new Error('expected ConfigError');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT: must be an integer from 0 to 65535, got "eighty"');
      expect(message).toContain('DATABASE_URL: must use postgres or postgresql');
      expect(message).not.toContain('hunter2');
    }
  });

  it('keeps secrets out of JSON, string and inspect output', () => {
    const config = loadServiceConfig('crawler', crawlerExtra, {
      NAVER_CLIENT_SECRET: 'canary-secret-123',
      DATABASE_URL: 'postgres://svc:pw-canary@db:5432/x',
    });
    const rendered = [
      JSON.stringify(config),
      inspect(config, { depth: 5 }),
      `${String(config.naverClientSecret?.value)}`,
    ];
    for (const text of rendered) {
      expect(text).not.toContain('canary-secret-123');
      expect(text).not.toContain('pw-canary');
    }
    expect(config.naverClientSecret?.value.reveal()).toBe('canary-secret-123');
  });

  it('validates integer ranges', () => {
    expect(() => loadServiceConfig('health', { batch: integer('BATCH', 10, 1, 100) }, { BATCH: '0' })).toThrow(
      'BATCH: must be an integer from 1 to 100',
    );
  });
});
