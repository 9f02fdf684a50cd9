import { connect } from '@nats-io/transport-node';
import { TEST_NATS_URL, TEST_POSTGRES_URL } from '@shelfwatch/testing';
import { Client } from 'pg';

/** The versions a report was measured with: Node, Postgres (`select version()`) and nats-server (its INFO). */
export interface Versions {
  node: string;
  postgres: string;
  natsServer: string;
}

export async function serverVersions(): Promise<Versions> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  const nc = await connect({ servers: TEST_NATS_URL, name: 'shelfwatch-bench' });
  try {
    const { rows } = await client.query<{ version: string }>('select version()');
    return {
      node: process.version,
      postgres: rows[0]?.version ?? 'unknown',
      natsServer: nc.info?.version ?? 'unknown',
    };
  } finally {
    await client.end();
    await nc.close();
  }
}
