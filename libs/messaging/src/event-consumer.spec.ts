import { consumerWindow } from './event-consumer';

describe('consumerWindow', () => {
  it('is one batch for a consumer in batch mode without an ordering key (one applier)', () => {
    expect(consumerWindow({ batchSize: 64, maxInFlight: 8 })).toBe(64);
  });

  it('is a batch per applier in batch mode with an ordering key', () => {
    expect(consumerWindow({ batchSize: 64, maxInFlight: 2, orderingKey: () => '' })).toBe(128);
  });

  it('is one message per applier in one-message mode, with a key or without', () => {
    expect(consumerWindow({ batchSize: 1, maxInFlight: 8 })).toBe(8);
    expect(consumerWindow({ batchSize: 1, maxInFlight: 8, orderingKey: () => '' })).toBe(8);
  });
});
