import { parseArgs } from 'node:util';
import { DeadLettersConfig, loadDeadLettersConfig } from './cli.config';
import { runCli } from './cli-main';

const USAGE =
  'usage: dead-letters list [--consumer <durable>] [--limit <n>] [--cursor <c>] | show <sequence> | replay <sequence>';

/** A command line `dead-letters` does not understand; its message carries the usage. */
export class DeadLettersUsageError extends Error {
  constructor(problem?: string) {
    super(problem === undefined ? USAGE : `${problem}\n${USAGE}`);
    this.name = 'DeadLettersUsageError';
  }
}

/** A parsed command line of `dead-letters`. */
export type DeadLettersCommand =
  | { action: 'list'; consumer?: string; limit: number; cursor?: string }
  | { action: 'show'; sequence: number }
  | { action: 'replay'; sequence: number };

/** Parses the arguments; throws {@link DeadLettersUsageError} on anything it does not understand. */
export function parseDeadLettersArgs(argv: string[]): DeadLettersCommand {
  let parsed: { positionals: string[]; values: { consumer?: string; limit?: string; cursor?: string } };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { consumer: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    });
  } catch (error) {
    throw new DeadLettersUsageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const [action, sequence, ...rest] = positionals;
  if (action === 'list' && sequence === undefined) {
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new DeadLettersUsageError('--limit must be an integer from 1 to 100');
    }
    return { action, consumer: values.consumer, limit, cursor: values.cursor };
  }
  if ((action === 'show' || action === 'replay') && rest.length === 0 && /^[1-9]\d*$/.test(sequence ?? '')) {
    return { action, sequence: Number(sequence) };
  }
  throw new DeadLettersUsageError();
}

/** A refusal or failure of the gateway, said in one line. */
export class DeadLettersRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadLettersRequestError';
  }
}

/** The request a command makes of the gateway's admin API. */
function requestOf(command: DeadLettersCommand): { method: 'GET' | 'POST'; path: string } {
  switch (command.action) {
    case 'list': {
      const query = new URLSearchParams({ limit: String(command.limit) });
      if (command.consumer !== undefined) {
        query.set('consumer', command.consumer);
      }
      if (command.cursor !== undefined) {
        query.set('cursor', command.cursor);
      }
      return { method: 'GET', path: `/v1/admin/dead-letters?${query.toString()}` };
    }
    case 'show':
      return { method: 'GET', path: `/v1/admin/dead-letters/${command.sequence}` };
    case 'replay':
      return { method: 'POST', path: `/v1/admin/dead-letters/${command.sequence}/replay` };
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

/** What the gateway's problem answer says, for one line. */
function refusal(status: number, body: unknown): string {
  const problem = typeof body === 'object' && body !== null ? (body as { title?: unknown; detail?: unknown }) : {};
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  switch (status) {
    case 401:
      return 'the gateway refused the admin key (401): check ADMIN_API_KEY';
    case 403:
      return 'that key is not the admin key (403): check ADMIN_API_KEY';
    case 404:
      return `not found: ${detail ?? 'no such dead letter'}`;
    default:
      return `the gateway answered ${status}: ${detail ?? (typeof problem.title === 'string' ? problem.title : '')}`;
  }
}

/**
 * Runs one command through the gateway's admin API and prints its result as JSON (a list: one line per dead
 * letter); `note` gets what is not data, such as how to ask for the next page.
 */
export async function deadLetters(
  command: DeadLettersCommand,
  config: DeadLettersConfig,
  print: (line: string) => void,
  note: (line: string) => void = () => undefined,
): Promise<void> {
  const { method, path } = requestOf(command);
  const target = new URL(path, config.gatewayUrl);
  let response: Response;
  try {
    response = await fetch(target, {
      method,
      headers: { authorization: `Bearer ${config.adminApiKey.value.reveal()}` },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new DeadLettersRequestError(`cannot reach the gateway at ${target.origin}: ${cause}`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's error page): said as it is below.
  }
  if (!response.ok) {
    throw new DeadLettersRequestError(refusal(response.status, body));
  }
  if (command.action === 'list') {
    const page = body as { items: unknown[]; nextCursor: string | null };
    page.items.forEach((item) => print(JSON.stringify(item)));
    if (page.nextCursor !== null) {
      note(
        `more: dead-letters list --cursor ${page.nextCursor}${command.consumer ? ` --consumer ${command.consumer}` : ''}`,
      );
    }
    return;
  }
  print(JSON.stringify(body, null, command.action === 'show' ? 2 : undefined));
}

if (require.main === module) {
  runCli('dead-letters', async () => {
    try {
      const command = parseDeadLettersArgs(process.argv.slice(2));
      await deadLetters(command, loadDeadLettersConfig(process.env), console.log, console.error);
    } catch (error) {
      // A refused operation (unknown sequence, bad key, gateway down, bad arguments) is an answer, not a crash.
      if (error instanceof DeadLettersRequestError || error instanceof DeadLettersUsageError) {
        process.stderr.write(`dead-letters: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  });
}
