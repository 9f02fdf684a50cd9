import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Subscription } from '@nats-io/transport-node';
import { CLOCK, Clock, NatsLink, Topology } from '@shelfwatch/messaging';
import {
  HEARTBEAT_SOLICIT_SUBJECT,
  HEARTBEAT_WILDCARD,
  InstanceHeartbeat,
  heartbeatExpiryMs,
  instanceHeartbeatSchema,
  SERVICE_LOGGER,
} from '@shelfwatch/platform';
import { Logger } from 'pino';
import { SeenInstance, isAlive } from './health-verdict';

/** Instances are forgotten this long after they went silent or said goodbye. */
const FORGET_AFTER_MS = 10 * 60_000;

/** The heartbeat's JSON, or undefined when it is not JSON (the schema then refuses it). */
function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Every service instance that announced itself, with its latest heartbeat. */
@Injectable()
export class InstanceRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly instances = new Map<string, SeenInstance>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly topology: Topology,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: InstanceRegistry.name });
  }

  onApplicationBootstrap(): void {
    this.subscription = this.link.connection.subscribe(this.topology.subject(HEARTBEAT_WILDCARD), {
      callback: (error, message) => {
        if (error) {
          return;
        }
        // Not JSON is a malformed heartbeat too: a throw here would stop the connection reading.
        const parsed = instanceHeartbeatSchema.safeParse(parseJson(message.data));
        if (parsed.success) {
          this.record(parsed.data, this.clock.now().getTime());
        } else {
          this.logger.warn({ subject: message.subject }, 'ignored a malformed heartbeat');
        }
      },
    });
    // Instances announce themselves at once instead of at their next beat, now and after a reconnect.
    this.solicit();
    void this.solicitOnReconnect();
  }

  private solicit(): void {
    this.link.connection.publish(this.topology.subject(HEARTBEAT_SOLICIT_SUBJECT));
  }

  private async solicitOnReconnect(): Promise<void> {
    for await (const status of this.link.connection.status()) {
      if (status.type === 'reconnect') {
        this.solicit();
      }
    }
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  record(heartbeat: InstanceHeartbeat, receivedAt: number): void {
    this.instances.set(heartbeat.instanceId, { heartbeat, receivedAt });
  }

  /** Live instances of a service at `now` (silent or stopped ones left out). */
  alive(service: string, now: number): SeenInstance[] {
    return this.all(now).filter((i) => i.heartbeat.service === service && isAlive(i, now, heartbeatExpiryMs));
  }

  /** Every instance seen recently, live or not, newest first. */
  all(now: number): SeenInstance[] {
    for (const [id, instance] of this.instances) {
      if (now - instance.receivedAt > FORGET_AFTER_MS) {
        this.instances.delete(id);
      }
    }
    return [...this.instances.values()].sort((a, b) => b.receivedAt - a.receivedAt);
  }
}
