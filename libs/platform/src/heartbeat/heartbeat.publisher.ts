import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { Subscription } from '@nats-io/transport-node';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, NatsLink, Topology } from '@shelfwatch/messaging';
import { version } from '../../../../package.json';
import { DependencyProbes } from '../health/dependency-probes';
import {
  HEARTBEAT_SOLICIT_SUBJECT,
  InstanceHeartbeat,
  heartbeatSubject,
  instanceHeartbeatSchema,
} from './instance-heartbeat';

/** Which service this instance is and how often it announces itself. */
export interface HeartbeatOptions {
  service: string;
  intervalMs: number;
}

export const HEARTBEAT_OPTIONS = Symbol('HEARTBEAT_OPTIONS');

/**
 * Announces this instance every `intervalMs` (and at once when asked) with its version, uptime and
 * readiness, and says goodbye when it shuts down, so that the health service sees a stop at once.
 */
@Injectable()
export class HeartbeatPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly startedAt: Date;
  /** This process's instance id, as its heartbeats announce it (crawl leases name it as their owner). */
  readonly instanceId: string;
  private timer: NodeJS.Timeout | undefined;
  private solicit: Subscription | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly topology: Topology,
    private readonly probes: DependencyProbes,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) ids: IdGenerator,
    @Inject(HEARTBEAT_OPTIONS) private readonly options: HeartbeatOptions,
  ) {
    this.startedAt = clock.now();
    this.instanceId = ids.next();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.beat(false), this.options.intervalMs);
    this.timer.unref();
    this.solicit = this.link.connection.subscribe(this.topology.subject(HEARTBEAT_SOLICIT_SUBJECT), {
      callback: () => void this.beat(false),
    });
    void this.beat(false);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.solicit?.unsubscribe();
    await this.beat(true);
    await this.link.connection.flush().catch(() => undefined);
  }

  /** This instance as it would announce itself now. */
  async snapshot(stopping: boolean): Promise<InstanceHeartbeat> {
    const problems = stopping ? ['shutting down'] : await this.problems();
    const now = this.clock.now();
    return instanceHeartbeatSchema.parse({
      service: this.options.service,
      instanceId: this.instanceId,
      version,
      host: hostname(),
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.max(0, Math.round((now.getTime() - this.startedAt.getTime()) / 1000)),
      ready: problems.length === 0,
      problems,
      stopping,
      intervalMs: this.options.intervalMs,
      sentAt: now.toISOString(),
    });
  }

  private async problems(): Promise<string[]> {
    const problems: string[] = [];
    await this.probes.pingPostgres().catch((error: unknown) => {
      problems.push(`postgres: ${error instanceof Error ? error.message : String(error)}`);
    });
    const nats = this.probes.natsProblem();
    if (nats) {
      problems.push(`nats: ${nats}`);
    }
    return problems;
  }

  private async beat(stopping: boolean): Promise<void> {
    if (!this.link.isConnected) {
      return;
    }
    try {
      const heartbeat = await this.snapshot(stopping);
      this.link.connection.publish(
        this.topology.subject(heartbeatSubject(this.options.service)),
        JSON.stringify(heartbeat),
      );
    } catch {
      // A heartbeat that cannot be sent is a missed heartbeat: the health service notices the silence.
    }
  }
}
