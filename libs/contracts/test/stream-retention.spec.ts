import { z } from 'zod';
import { EventRegistryEntry, STREAMS, eventRegistry, eventTypes, streamForEventType } from '@shelfwatch/contracts';

/** The older versions of an entry that no upcaster chain lifts to the current one. */
function unreadableVersions(entry: EventRegistryEntry): number[] {
  const missing: number[] = [];
  for (let from = 1; from < entry.version; from++) {
    if (!entry.upcasters?.some((upcaster) => upcaster.from === from)) {
      missing.push(from);
    }
  }
  return missing;
}

describe('stream retention and old versions', () => {
  it('the streams keep messages for the ages docs/events.md states, TRACKING forever', () => {
    const ages = Object.fromEntries(Object.values(STREAMS).map((s) => [s.name, s.maxAgeDays]));
    expect(ages).toEqual({ TRACKING: 0, CRAWL: 30, RANKING: 30, ALERT: 180, RETENTION: 30, DEADLETTER: 30 });
  });

  // A stream that never expires holds every version its types ever had, so each needs a chain back to v1.
  it.each(eventTypes.filter((type) => streamForEventType(type).maxAgeDays === 0))(
    '%s (on a stream kept forever) can read every version since 1',
    (type) => {
      expect(unreadableVersions(eventRegistry[type])).toEqual([]);
    },
  );

  it('a type at version 3 with an upcaster from 2 only cannot read its version 1', () => {
    const schema = z.object({});
    const entry: EventRegistryEntry = { version: 3, schema, upcasters: [{ from: 2, schema, up: (data) => data }] };
    expect(unreadableVersions(entry)).toEqual([1]);
  });
});
