export * from './eventually';
export * from './factories';
export * from './test-database';
export * from './test-nats';
export * from './messaging-harness';
export * from './tcp-proxy';
export * from './free-port';
export * from './private-nats';
