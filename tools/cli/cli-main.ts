import { ConfigError } from '@shelfwatch/config';

/**
 * Runs a CLI's entry point: a configuration error prints its message (naming the variables) and exits 1,
 * any other failure prints the error and exits 1.
 */
export function runCli(name: string, main: () => Promise<void>): void {
  // `then` also catches what `main` throws before returning a promise (a ConfigError while reading the env).
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      const message =
        error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
      process.stderr.write(`${name}: ${message ?? 'failed'}\n`);
      process.exit(1);
    });
}
