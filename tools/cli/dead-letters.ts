import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DeadLetterError, DeadLetterStore, Topology } from '@shelfwatch/messaging';
import { ProvisionConfig, loadProvisionConfig } from './cli.config';
import { runCli } from './cli-main';

const USAGE = 'usage: dead-letters list [--consumer <durable>] [--limit <n>] | show <sequence> | replay <sequence>';

/** A command line `dead-letters` does not understand; its message carries the usage. */
export class DeadLettersUsageError extends Error {
  constructor(problem?: string) {
    super(problem === undefined ? USAGE : `${problem}\n${USAGE}`);
    this.name = 'DeadLettersUsageError';
  }
}

/** A parsed command line of `dead-letters`. */
export type DeadLettersCommand =
  | { action: 'list'; consumer?: string; limit: number }
  | { action: 'show'; sequence: number }
  | { action: 'replay'; sequence: number };

/** Parses the arguments; throws {@link DeadLettersUsageError} on anything it does not understand. */
export function parseDeadLettersArgs(argv: string[]): DeadLettersCommand {
  let parsed: { positionals: string[]; values: { consumer?: string; limit?: string } };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { consumer: { type: 'string' }, limit: { type: 'string' } },
    });
  } catch (error) {
    throw new DeadLettersUsageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const [action, sequence, ...rest] = positionals;
  if (action === 'list' && sequence === undefined) {
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      throw new DeadLettersUsageError('--limit must be an integer from 1 to 1000');
    }
    return { action, consumer: values.consumer, limit };
  }
  if ((action === 'show' || action === 'replay') && rest.length === 0 && /^[1-9]\d*$/.test(sequence ?? '')) {
    return { action, sequence: Number(sequence) };
  }
  throw new DeadLettersUsageError();
}

/** Runs one command against the DEADLETTER stream and prints its result as JSON. */
export async function deadLetters(
  command: DeadLettersCommand,
  config: ProvisionConfig,
  print: (line: string) => void,
): Promise<void> {
  const servers = config.natsUrl.value
    .reveal()
    .split(',')
    .map((server) => server.trim());
  const nc = await connect({ servers, name: 'shelfwatch-dead-letters' });
  try {
    const store = new DeadLetterStore(await jetstreamManager(nc), jetstream(nc), new Topology(config.namespace));
    switch (command.action) {
      case 'list':
        for (const item of await store.list(command)) {
          print(JSON.stringify(item));
        }
        return;
      case 'show':
        print(JSON.stringify(await store.show(command.sequence), null, 2));
        return;
      case 'replay':
        print(JSON.stringify(await store.replay(command.sequence)));
        return;
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  } finally {
    await nc.drain();
  }
}

if (require.main === module) {
  runCli('dead-letters', async () => {
    try {
      await deadLetters(parseDeadLettersArgs(process.argv.slice(2)), loadProvisionConfig(process.env), console.log);
    } catch (error) {
      // A refused operation (unknown sequence, bad arguments) is an answer, not a crash: no stack.
      if (error instanceof DeadLetterError || error instanceof DeadLettersUsageError) {
        process.stderr.write(`dead-letters: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  });
}
