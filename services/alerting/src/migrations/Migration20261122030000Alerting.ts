import { Migration } from '@mikro-orm/migrations';

/**
 * Rules, alerts, the shelf memory of each keyword (for "new competitor"), webhooks and their deliveries.
 * At most one open (raised or acknowledged) alert exists per (tenant, keyword, rule type, product): the
 * partial unique index decides, so two handlers racing raise one alert.
 */
export class Migration20261122030000Alerting extends Migration {
  override up(): void {
    this.addSql(`create table alerting.rule_sets (
      tenant_id uuid primary key,
      defaults jsonb not null,
      overrides jsonb not null default '[]',
      updated_at timestamptz not null
    )`);
    this.addSql(`create table alerting.alerts (
      alert_id uuid primary key,
      tenant_id uuid not null,
      rule_id uuid not null,
      alert_type text not null,
      product_id uuid not null,
      keyword_id uuid not null,
      crawl_id uuid not null,
      status text not null check (status in ('raised', 'acknowledged', 'resolved')),
      message text not null,
      details jsonb not null,
      raised_at timestamptz not null,
      acknowledged_at timestamptz,
      resolved_at timestamptz,
      resolved_reason text
    )`);
    // The alert's events, in order: its state (the row above) is their fold, kept for querying.
    this.addSql(`create table alerting.alert_events (
      seq bigint generated always as identity,
      event_id uuid primary key,
      alert_id uuid not null references alerting.alerts (alert_id) on delete cascade,
      event_type text not null,
      at timestamptz not null,
      reason text
    )`);
    this.addSql('create index alert_events_alert_idx on alerting.alert_events (alert_id, seq)');
    this
      .addSql(`create unique index alerts_one_open_idx on alerting.alerts (tenant_id, keyword_id, alert_type, product_id)
      where status <> 'resolved'`);
    this.addSql(
      'create index alerts_key_idx on alerting.alerts (tenant_id, keyword_id, alert_type, product_id, raised_at desc)',
    );
    this.addSql('create index alerts_tenant_idx on alerting.alerts (tenant_id, alert_id desc)');
    this.addSql(`create index alerts_resolved_idx on alerting.alerts (resolved_at) where status = 'resolved'`);
    this.addSql(`create table alerting.keyword_shelves (
      keyword_id uuid primary key,
      tenant_id uuid not null,
      crawl_id uuid,
      recorded_at timestamptz not null,
      top jsonb not null default '[]'
    )`);
    this.addSql(`create table alerting.webhooks (
      webhook_id uuid primary key,
      tenant_id uuid not null,
      url text not null,
      secret_sealed text not null,
      events jsonb not null,
      digest boolean not null,
      description text,
      created_at timestamptz not null
    )`);
    this.addSql('create index webhooks_tenant_idx on alerting.webhooks (tenant_id, webhook_id desc)');
    this.addSql(`create table alerting.deliveries (
      delivery_id uuid primary key,
      tenant_id uuid not null,
      webhook_id uuid not null references alerting.webhooks (webhook_id) on delete cascade,
      event_ids jsonb not null,
      event_types jsonb not null,
      body text not null,
      status text not null check (status in ('pending', 'delivering', 'succeeded', 'failed')),
      attempts jsonb not null default '[]',
      attempt_count integer not null default 0,
      next_attempt_at timestamptz,
      lease_until timestamptz,
      created_at timestamptz not null,
      completed_at timestamptz
    )`);
    this.addSql(`create index deliveries_due_idx on alerting.deliveries (next_attempt_at) where status = 'pending'`);
    this.addSql(`create index deliveries_leased_idx on alerting.deliveries (lease_until) where status = 'delivering'`);
    this.addSql('create index deliveries_webhook_idx on alerting.deliveries (webhook_id, delivery_id desc)');
    this.addSql(
      `create index deliveries_done_idx on alerting.deliveries (completed_at) where status in ('succeeded', 'failed')`,
    );
  }
}
