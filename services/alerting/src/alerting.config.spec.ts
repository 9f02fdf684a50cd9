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

  it('refuses infrastructure ports among the allowed ones in production only', () => {
    expect(() => loadAlertingConfig({ ...production, ALERTING_WEBHOOK_ALLOWED_PORTS: '443,6379' })).toThrow(
      'must not include infrastructure ports in production (6379)',
    );
    expect([...loadAlertingConfig({ ALERTING_WEBHOOK_ALLOWED_PORTS: '443,6379' }).webhookAllowedPorts]).toEqual([
      443, 6379,
    ]);
  });
});
