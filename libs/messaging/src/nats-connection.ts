import { NatsConnection, connect } from '@nats-io/transport-node';
import { Logger } from 'pino';

/** A NATS connection that reconnects forever and tells whether it is connected right now. */
export class NatsLink {
  private connected = false;

  private constructor(readonly connection: NatsConnection) {}

  /** Connects (waiting for the first connection) and then follows status changes. */
  static async open(servers: string, name: string, logger: Logger): Promise<NatsLink> {
    const connection = await connect({
      servers: servers.split(',').map((server) => server.trim()),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 5_000,
      maxPingOut: 2,
    });
    const link = new NatsLink(connection);
    link.connected = true;
    void link.follow(logger);
    return link;
  }

  get isConnected(): boolean {
    return this.connected && !this.connection.isClosed();
  }

  private async follow(logger: Logger): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'staleConnection') {
        this.connected = false;
        logger.warn({ nats: status.type }, 'NATS connection lost');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        logger.info('NATS connection restored');
      }
    }
  }

  /** Flushes pending publishes and acks, then closes. */
  async drain(): Promise<void> {
    if (!this.connection.isClosed()) {
      await this.connection.drain().catch(() => this.connection.close());
    }
  }
}
