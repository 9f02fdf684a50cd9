import { consumersFor } from '@shelfwatch/messaging';
import { SERVICES } from '../../tools/cli/services';
import { EXPECTED_CONSUMERS, EXPECTED_SERVICES } from './expected';

/** The fault run's written-out lists must follow the manifests, or a new consumer would go unchecked. */
describe('what the fault run expects to find', () => {
  it('lists every durable consumer the manifests of its services declare, and no other', () => {
    const declared = EXPECTED_SERVICES.flatMap((service) =>
      consumersFor(service, SERVICES[service].manifest.handles).map((consumer) => ({
        service,
        durable: consumer.durable,
        types: [...consumer.types].sort(),
      })),
    );
    const listed = EXPECTED_CONSUMERS.map((consumer) => ({ ...consumer, types: [...consumer.types].sort() }));
    expect(listed).toEqual(declared);
  });
});
