import { Writable } from 'node:stream';
import { createLogger } from '@shelfwatch/observability';
import { Logger } from 'pino';

/** A logger that keeps what it writes, for tests asserting what was logged (an `errorId`, a level). */
export interface CapturingLogger {
  logger: Logger;
  /** Every line written so far, as written. */
  lines: string[];
  /** Every line written so far, parsed. */
  entries(): Record<string, unknown>[];
}

/** A real (pino) logger of `service` writing into memory at `info` and above. */
export function capturingLogger(service = 'test'): CapturingLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ service, level: 'info', destination });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
