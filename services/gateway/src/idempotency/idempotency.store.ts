import { createHash } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { freshEm } from '@shelfwatch/persistence';

/** How long a key and its answer are kept (`IDEMPOTENCY_TTL_HOURS`). */
export const IDEMPOTENCY_TTL_MS = Symbol('IDEMPOTENCY_TTL_MS');

/**
 * How long a claim without an answer holds its key (`IDEMPOTENCY_IN_FLIGHT_SECONDS`): longer than any live
 * request, so only a claim left by a crashed gateway expires, and a retry can then run.
 */
export const IDEMPOTENCY_IN_FLIGHT_MS = Symbol('IDEMPOTENCY_IN_FLIGHT_MS');

/** A stored answer, replayed as it was sent the first time. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** What claiming a key found. */
export type Claim =
  { kind: 'new' } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'in_progress' } | { kind: 'mismatch' };

/** Fingerprint of a request: method, route and body, so a reused key with another request is caught. */
export function requestHash(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${route}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` records in the gateway's schema: the first request claims the key (insert … on conflict
 * do nothing, so two concurrent requests cannot both run), stores its answer when done; a repeat replays it.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDEMPOTENCY_TTL_MS) private readonly ttlMs: number,
    @Inject(IDEMPOTENCY_IN_FLIGHT_MS) private readonly inFlightMs: number,
  ) {}

  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    const em = freshEm(this.orm);
    const now = this.clock.now();
    const expired = new Date(now.getTime() - this.ttlMs);
    const abandoned = new Date(now.getTime() - this.inFlightMs);
    await em.execute(
      `delete from gateway.idempotency_keys where tenant_id = ? and key = ?
       and (created_at < ? or (status is null and created_at < ?))`,
      [scope, key, expired, abandoned],
      'run',
    );
    const inserted = await em.execute<{ affectedRows: number }>(
      `insert into gateway.idempotency_keys (tenant_id, key, request_hash, created_at) values (?, ?, ?, ?)
       on conflict do nothing`,
      [scope, key, hash, now],
      'run',
    );
    if (inserted.affectedRows === 1) {
      return { kind: 'new' };
    }
    const [row] = await em.execute<{ request_hash: string; status: number | null; response: unknown }[]>(
      'select request_hash, status, response from gateway.idempotency_keys where tenant_id = ? and key = ?',
      [scope, key],
    );
    if (!row) {
      return this.claim(scope, key, hash);
    }
    if (row.request_hash !== hash) {
      return { kind: 'mismatch' };
    }
    return row.status === null
      ? { kind: 'in_progress' }
      : { kind: 'replay', answer: { status: row.status, body: row.response } };
  }

  async complete(scope: string, key: string, answer: StoredAnswer): Promise<void> {
    await freshEm(this.orm).execute(
      `update gateway.idempotency_keys set status = ?, response = ?::jsonb, completed_at = ? where tenant_id = ? and key = ?`,
      [answer.status, JSON.stringify(answer.body ?? null), this.clock.now(), scope, key],
      'run',
    );
  }

  /** Forgets a claim whose request failed on our side (5xx), so the client may retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await freshEm(this.orm).execute(
      'delete from gateway.idempotency_keys where tenant_id = ? and key = ? and status is null',
      [scope, key],
      'run',
    );
  }

  /** Deletes expired records; returns how many. */
  async purgeExpired(): Promise<number> {
    const expired = new Date(this.clock.now().getTime() - this.ttlMs);
    const result = await freshEm(this.orm).execute<{ affectedRows: number }>(
      'delete from gateway.idempotency_keys where created_at < ?',
      [expired],
      'run',
    );
    return result.affectedRows;
  }
}
