/**
 * `COPY … FROM STDIN` with the `pg` client alone (no `pg-copy-streams`): a submittable query that answers
 * the server's CopyInResponse with CopyData messages, then CopyDone, and settles on ReadyForQuery.
 * Uses the protocol methods `pg`'s Connection has (`sendCopyFromChunk`, `endCopyFrom`, `sendCopyFail`),
 * which its type declarations leave out, so they are checked at run time.
 */
import { once } from 'node:events';
import { Client, Connection } from 'pg';

interface CopyConnection {
  stream: Connection['stream'];
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

function isCopyConnection(connection: Connection): connection is Connection & CopyConnection {
  const probe: object = connection;
  return 'sendCopyFromChunk' in probe && 'endCopyFrom' in probe && 'sendCopyFail' in probe;
}

class CopyFromQuery {
  private failure: Error | undefined;
  readonly done: Promise<void>;
  private settle: (error?: Error) => void = () => undefined;

  constructor(
    private readonly text: string,
    private readonly chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection): void {
    if (!isCopyConnection(connection)) {
      this.failure = new Error('this pg version has no COPY FROM STDIN messages');
      return;
    }
    void this.send(connection);
  }

  private async send(connection: CopyConnection): Promise<void> {
    try {
      for await (const chunk of this.chunks) {
        connection.sendCopyFromChunk(chunk);
        if (connection.stream.writableNeedDrain) {
          await once(connection.stream, 'drain');
        }
      }
      connection.endCopyFrom();
    } catch (error: unknown) {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }

  handleCommandComplete(): void {
    // The row count is not needed; completion is reported on ReadyForQuery.
  }

  handleError(error: Error): void {
    this.failure = error;
  }

  handleReadyForQuery(): void {
    this.settle(this.failure);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `copy <table> from stdin` (text format) with the given chunks of tab-separated lines. */
export async function copyFrom(
  client: Client,
  statement: string,
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
): Promise<void> {
  const query = new CopyFromQuery(statement, chunks);
  client.query(query);
  await query.done;
}
