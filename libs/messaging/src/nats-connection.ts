import { ConnectionOptions, NatsConnection, PermissionViolationError, connect } from '@nats-io/transport-node';
import { NatsCredentials } from '@shelfwatch/config';
import { Logger } from 'pino';

/**
 * Where a user's replies arrive (`_INBOX_<user>.<id>`). A prefix of its own, so that its NATS permissions can let
 * only it subscribe there: with the shared `_INBOX.>` any user could read every other one's answers and acks.
 */
export function inboxPrefix(user: string): string {
  return `_INBOX_${user}`;
}

/** Connection options for `credentials`: none at all without (a server without authentication). */
export function natsAuthOptions(credentials: NatsCredentials | null): Partial<ConnectionOptions> {
  return credentials === null
    ? {}
    : { user: credentials.user, pass: credentials.password.reveal(), inboxPrefix: inboxPrefix(credentials.user) };
}

/** A NATS connection that reconnects forever and tells whether it is connected right now. */
export class NatsLink {
  private connected = false;
  private readonly reconnectListeners: (() => void)[] = [];

  private constructor(readonly connection: NatsConnection) {}

  /** Connects (as `credentials`' user, if any; waiting for the first connection) and then follows status changes. */
  static async open(
    servers: string,
    name: string,
    logger: Logger,
    credentials: NatsCredentials | null = null,
  ): Promise<NatsLink> {
    const connection = await connect({
      ...natsAuthOptions(credentials),
      servers: servers.split(',').map((server) => server.trim()),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 5_000,
      maxPingOut: 2,
      // Otherwise every request builds two errors with stacks up front (RequestError, TimeoutError), in case it fails.
      noAsyncTraces: true,
    });
    const link = new NatsLink(connection);
    link.connected = true;
    void link.follow(logger);
    return link;
  }

  /** Calls `listener` each time the connection is restored after a loss (the outbox relay resumes at once). */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  get isConnected(): boolean {
    return this.connected && !this.connection.isClosed();
  }

  private async follow(logger: Logger): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'staleConnection') {
        this.connected = false;
        logger.warn({ nats: status.type }, 'NATS connection lost');
      } else if (status.type === 'error' && status.error instanceof PermissionViolationError) {
        // The server refused what this user may not do (its permissions, deploy/nats/auth.conf): say what.
        const { operation, subject } = status.error;
        logger.error(
          { nats: 'permissions', operation, subject },
          `NATS Permissions Violation: ${operation} ${subject}`,
        );
      } else if (status.type === 'reconnect') {
        this.connected = true;
        logger.info('NATS connection restored');
        this.reconnectListeners.forEach((listener) => listener());
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
