import { loadAlertingConfig } from './alerting.config';

const production = {
  NODE_ENV: 'production',
  NATS_URL: 'nats://nats:4222',
  NATS_USER: 'alerting',
  NATS_PASSWORD: 'a-long-random-nats-password',
  DATABASE_URL: 'postgres://alerting:pw@db:5432/shelfwatch',
  ALERTING_WEBHOOK_SECRET_KEY: 'a-long-random-key-from-the-secret-store',
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
});
