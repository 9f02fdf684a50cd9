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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void sim.close().then(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`marketplace-sim: ${message ?? 'failed'}\n`);
  process.exit(1);
});
