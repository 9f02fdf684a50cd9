import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { SERVICE_NAMES, natsCredentials } from '@shelfwatch/config';
import {
  Topology,
  consumersFor,
  defaultStreamSettings,
  natsAuthOptions,
  provisionConsumer,
  provisionStreams,
} from '@shelfwatch/messaging';
import { ProvisionConfig, loadProvisionConfig } from './cli.config';
import { runCli } from './cli-main';
import { SERVICES } from './services';

/** What provisioning reads: the NATS user is optional (a NATS without users, a test). */
export type ProvisionTarget = Omit<ProvisionConfig, 'natsUser' | 'natsPassword' | 'nodeEnv' | 'logLevel'> &
  Partial<Pick<ProvisionConfig, 'natsUser' | 'natsPassword'>>;

/** Declares every stream, then every service's durable consumers; idempotent. */
export async function provisionAll(config: ProvisionTarget, print: (line: string) => void): Promise<void> {
  const servers = config.natsUrl.value
    .reveal()
    .split(',')
    .map((server) => server.trim());
  const credentials = natsCredentials('provision', {
    natsUser: config.natsUser ?? null,
    natsPassword: config.natsPassword ?? null,
  });
  const nc = await connect({ servers, name: 'shelfwatch-provision', ...natsAuthOptions(credentials) });
  try {
    const jsm = await jetstreamManager(nc);
    const topology = new Topology(config.namespace);
    const settings = { ...defaultStreamSettings, replicas: config.jetstreamReplicas };
    for (const stream of await provisionStreams(jsm, topology, settings)) {
      print(`provision stream ${stream}`);
    }
    for (const service of SERVICE_NAMES) {
      for (const consumer of consumersFor(service, SERVICES[service].manifest.handles)) {
        await provisionConsumer(jsm, topology, consumer);
        print(`provision consumer ${topology.streamName(consumer.stream)}/${consumer.durable}`);
      }
    }
  } finally {
    await nc.drain();
  }
}

if (require.main === module) {
  runCli('provision', () => provisionAll(loadProvisionConfig(process.env), console.log));
}
