import { ConfigError } from '@shelfwatch/config';
import { loadSimConfig } from './sim.config';
import { startSimulator } from './simulator';

// `npm run sim`: the marketplace simulator on SIM_PORT (3100). Everything else lives in simulator.ts.
async function main(): Promise<void> {
  const config = loadSimConfig(process.env);
  const sim = await startSimulator({
    port: config.port,
    host: config.host,
    seed: config.seed,
    logRequests: config.logRequests,
  });
  process.stdout.write(`marketplace-sim listening on ${config.host}:${sim.port} (seed ${config.seed})\n`);
  // `on`, not `once`: a second signal (a launcher forwarding the terminal's Ctrl-C) must not kill it mid-close.
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!closing) {
        closing = true;
        void sim.close().then(() => process.exit(0));
      }
    });
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`marketplace-sim: ${message ?? 'failed'}\n`);
  process.exit(1);
});
