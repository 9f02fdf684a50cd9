import { loadAlertingConfig } from './alerting.config';

const production = {
  NODE_ENV: 'production',
  NATS_URL: 'nats://nats:4222',
  NATS_USER: 'alerting',
  NATS_PASSWORD: 'a-long-random-nats-password',
  DATABASE_URL: 'postgres://alerting:pw@db:5432/shelfwatch',
  // What `openssl rand -hex 32` gives.
  ALERTING_WEBHOOK_SECRET_KEY: '5d0f4c2a9e7b13c86fa20d94b1e7c3a58f6e2d1b0c9a7e4f3b28d6c1a05e9f7b',
};

describe('alerting configuration', () => {
  it('refuses loopback webhooks by default', () => {
    expect(loadAlertingConfig({}).webhookAllowLoopback).toBe(false);
    expect(loadAlertingConfig({ ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhookAllowLoopback).toBe(true);
  });

  it('refuses to start in production with loopback webhooks allowed or without a sealing key', () => {
    expect(loadAlertingConfig(production).webhookAllowLoopback).toBe(false);
    expect(() => loadAlertingConfig({ ...production, ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true' })).toThrow(
      'ALERTING_WEBHOOK_ALLOW_LOOPBACK',
    );
    expect(() => loadAlertingConfig({ ...production, ALERTING_WEBHOOK_SECRET_KEY: '' })).toThrow(
      'ALERTING_WEBHOOK_SECRET_KEY',
    );
  });

  it('allows the web ports by default and takes a list of others', () => {
    expect([...loadAlertingConfig({}).webhookAllowedPorts]).toEqual([80, 443, 8080, 8443]);
    expect([...loadAlertingConfig({ ALERTING_WEBHOOK_ALLOWED_PORTS: ' 443, 9443 ' }).webhookAllowedPorts]).toEqual([
      443, 9443,
    ]);
    for (const bad of ['443,', 'https', '0', '70000', '443;80', '-1']) {
      expect(() => loadAlertingConfig({ ALERTING_WEBHOOK_ALLOWED_PORTS: bad })).toThrow(
        'ALERTING_WEBHOOK_ALLOWED_PORTS',
      );
    }
  });

  it.each([
    ['the development default', 'shelfwatch-development-webhook-secret-key'],
    ['a short key', 'k3y-Q8vZ1x'],
    ['a placeholder', 'please-change-this-webhook-key-before-going-live'],
    ['a repeated pattern', '0123456789abcdef'.repeat(3)],
  ])('refuses %s as the sealing key in production, naming the variable and never the value', (_what, weak) => {
    expect(() => loadAlertingConfig({ ...production, ALERTING_WEBHOOK_SECRET_KEY: weak })).toThrow(
      'ALERTING_WEBHOOK_SECRET_KEY',
    );
    try {
      loadAlertingConfig({ ...production, ALERTING_WEBHOOK_SECRET_KEY: weak });
    } catch (error) {
      expect(String(error)).not.toContain(weak);
    }
  });

  it('refuses infrastructure ports among the allowed ones in production only', () => {
    expect(() => loadAlertingConfig({ ...production, ALERTING_WEBHOOK_ALLOWED_PORTS: '443,6379' })).toThrow(
      'must not include infrastructure ports in production (6379)',
    );
    expect([...loadAlertingConfig({ ALERTING_WEBHOOK_ALLOWED_PORTS: '443,6379' }).webhookAllowedPorts]).toEqual([
      443, 6379,
    ]);
  });
});
