import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { MessagingService } from '@shelfwatch/messaging';
import { freshEm } from '@shelfwatch/persistence';

/** Longest a readiness probe waits for Postgres before calling it down. */
export const POSTGRES_PING_TIMEOUT_MS = 1_000;

/** The state of one dependency, as the detailed health view shows it. */
export interface ComponentHealth {
  name: string;
  status: 'up' | 'down';
  latencyMs: number;
  /** Why it is down; null when up. */
  message: string | null;
}

/**
 * Cheap, time-bounded checks of what a service needs to do its job: its Postgres (one `select 1`) and
 * NATS with every one of its consumers pulling. Used by `/health/ready` and the health service's view.
 */
@Injectable()
export class DependencyProbes {
  constructor(
    private readonly orm: MikroORM,
    private readonly messaging: MessagingService,
  ) {}

  /** Resolves when Postgres answers `select 1` within {@link POSTGRES_PING_TIMEOUT_MS}; rejects otherwise. */
  async pingPostgres(): Promise<void> {
    const em = freshEm(this.orm);
    await withTimeout(em.getConnection().execute('select 1'), POSTGRES_PING_TIMEOUT_MS, 'postgres');
  }

  /** Null when NATS is connected, the transport listens and every consumer runs, else what is wrong. */
  natsProblem(): string | null {
    const health = this.messaging.health();
    if (!health.nats) {
      return 'not connected to NATS';
    }
    if (!health.listening) {
      return 'the JetStream transport is not listening';
    }
    const stopped = Object.entries(health.consumers)
      .filter(([, running]) => !running)
      .map(([durable]) => durable);
    return stopped.length > 0 ? `consumers not running: ${stopped.join(', ')}` : null;
  }

  /** Every component with its status and how long its check took. */
  async components(): Promise<ComponentHealth[]> {
    return [await this.postgresComponent(), this.natsComponent()];
  }

  private async postgresComponent(): Promise<ComponentHealth> {
    const started = performance.now();
    try {
      await this.pingPostgres();
      return { name: 'postgres', status: 'up', latencyMs: elapsed(started), message: null };
    } catch (error) {
      return { name: 'postgres', status: 'down', latencyMs: elapsed(started), message: errorMessage(error) };
    }
  }

  private natsComponent(): ComponentHealth {
    const started = performance.now();
    const problem = this.natsProblem();
    return { name: 'nats', status: problem ? 'down' : 'up', latencyMs: elapsed(started), message: problem };
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Rejects with `<what> did not answer within <ms> ms` when `work` is slower than `ms`. */
async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
