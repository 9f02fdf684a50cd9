import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ServiceName, natsCredentials } from '@shelfwatch/config';
import { Topology, consumersFor, natsAuthOptions } from '@shelfwatch/messaging';
import { pendingMigrations, serviceDatabaseUrl } from '@shelfwatch/persistence';
import { loadWaitForSetupConfig } from './cli.config';
import { runCli } from './cli-main';
import { servicesToMigrate } from './migrate';
import { SERVICES } from './services';

/** How often the migrations and consumers are looked at again. */
const POLL_MS = 2_000;

type WaitConfig = ReturnType<typeof loadWaitForSetupConfig>;

/** What a service still lacks before it can start: pending migrations, missing consumers, or why it cannot tell. */
export async function missingSetup(service: ServiceName, config: WaitConfig): Promise<string[]> {
  const missing: string[] = [];
  try {
    const pending = await pendingMigrations(SERVICES[service].persistence, serviceDatabaseUrl(service, config));
    missing.push(...pending.map((name) => `migration ${name}`));
  } catch (error) {
    missing.push(`database: ${error instanceof Error ? error.message : String(error)}`);
  }
  const consumers = consumersFor(service, SERVICES[service].manifest.handles);
  if (consumers.length === 0) {
    return missing;
  }
  const credentials = natsCredentials(service, config);
  const servers = config.natsUrl.value.reveal().split(',');
  const nc = await connect({ servers, name: `shelfwatch-wait-${service}`, ...natsAuthOptions(credentials) });
  try {
    const jsm = await jetstreamManager(nc);
    const topology = new Topology(config.namespace);
    for (const consumer of consumers) {
      const stream = topology.streamName(consumer.stream);
      await jsm.consumers
        .info(stream, consumer.durable)
        .catch(() => missing.push(`consumer ${stream}/${consumer.durable}`));
    }
  } finally {
    await nc.close();
  }
  return missing;
}

/**
 * Returns once the service's migrations are applied and its consumers exist (what the migration Job of the release
 * creates), printing what it still waits for; throws after `timeoutMs`. An init container of every service on
 * Kubernetes runs it, so a pod that starts before the Job has finished waits instead of crash-looping.
 */
export async function waitForSetup(
  service: ServiceName,
  config: WaitConfig,
  print: (line: string) => void,
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  for (let waited = 0; ; waited += POLL_MS) {
    const missing = await missingSetup(service, config).catch((error: unknown) => [`nats: ${String(error)}`]);
    if (missing.length === 0) {
      print(`wait-for-setup ${service}: migrations applied, consumers present`);
      return;
    }
    if (waited >= config.timeoutMs) {
      throw new Error(`${service} still lacks, after ${config.timeoutMs} ms: ${missing.join('; ')}`);
    }
    print(`wait-for-setup ${service}: waiting for ${missing.join('; ')}`);
    await sleep(POLL_MS);
  }
}

if (require.main === module) {
  runCli('wait-for-setup', async () => {
    const [service] = servicesToMigrate(process.argv.slice(2, 3));
    if (service === undefined || process.argv.length !== 3) {
      throw new Error('usage: wait-for-setup <service>');
    }
    await waitForSetup(service, loadWaitForSetupConfig(service, process.env), console.log);
  });
}
