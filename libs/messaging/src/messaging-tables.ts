/**
 * DDL of the outbox and inbox every service keeps in its own schema; each service's first migration
 * applies it. The outbox has no checkpoint: the relay publishes every row whose `published_at` is null,
 * so a row that commits late (after rows with higher positions were published) is still published —
 * the commit-order gap of sequence-based pollers cannot skip it.
 */
export function messagingTablesSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `create table if not exists ${s}.outbox (
      position bigserial primary key,
      event_id uuid not null unique,
      event_type text not null,
      aggregate_key text not null,
      payload text not null,
      traceparent text,
      tracestate text,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      attempts integer not null default 0,
      last_error text
    )`,
    `create index if not exists outbox_unpublished_idx on ${s}.outbox (position) where published_at is null`,
    `create index if not exists outbox_published_at_idx on ${s}.outbox (published_at) where published_at is not null`,
    `create table if not exists ${s}.inbox (
      consumer text not null,
      event_id uuid not null,
      event_type text not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`,
    `create index if not exists inbox_processed_at_idx on ${s}.inbox (processed_at)`,
  ];
}

/**
 * Text of the advisory lock one relay of `schema` holds while it publishes a batch (`hashtext` of it): one relay
 * per service publishes at a time. Whoever holds it keeps the service's relays from publishing.
 */
export function outboxRelayLock(schema: string): string {
  return `${schema}.outbox`;
}

/** Channel the outbox writer notifies on commit so the relay wakes at once instead of polling. */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * The set-aside columns of the outbox: a row the broker can never accept, with its reason. Every service's
 * `OutboxSetAside` migration applies it. Set-aside rows are rare and stay in `outbox_unpublished_idx`, which the
 * relay's claim and the backlog count both use.
 */
export function outboxSetAsideSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `alter table ${s}.outbox add column if not exists set_aside_at timestamptz,
       add column if not exists set_aside_reason text`,
  ];
}
