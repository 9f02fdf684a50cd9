import { JetStreamClient, JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection, connect } from '@nats-io/transport-node';
import { Topology, deleteStreams, provisionStreams } from '@shelfwatch/messaging';
import { uniqueSuffix } from './test-database';

export const TEST_NATS_URL = 'nats://127.0.0.1:4222';

/** A NATS connection and a namespace of its own, with the domain streams declared in it. */
export interface TestNats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  namespace: string;
  topology: Topology;
  /** Deletes the namespace's streams and closes the connection. */
  cleanup(): Promise<void>;
}

/** Random namespace `t<suffix>`: every stream and subject of the test carries it. */
export function testNamespace(): string {
  return `t${uniqueSuffix()}`;
}

export async function createTestNats(url = TEST_NATS_URL): Promise<TestNats> {
  // noAsyncTraces as the services connect (NatsLink): no two errors with stacks built up front per request.
  const nc = await connect({ servers: url, name: 'shelfwatch-test', noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  const namespace = testNamespace();
  const topology = new Topology(namespace);
  await provisionStreams(jsm, topology);
  return {
    nc,
    js: jetstream(nc),
    jsm,
    namespace,
    topology,
    cleanup: async () => {
      await deleteStreams(jsm, topology);
      await nc.close();
    },
  };
}
