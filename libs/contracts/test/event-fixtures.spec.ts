import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EventRegistryEntry, eventRegistry, eventTypes, isEventType, parseEvent } from '@shelfwatch/contracts';
import { EVENT_FIXTURES_DIR, EventFixture, fixtureProblems, loadEventFixtures } from './event-fixtures';

const fixtures = loadEventFixtures();

function entryOf(type: string): EventRegistryEntry {
  if (!isEventType(type)) {
    throw new Error(`fixture of unknown event type ${type}`);
  }
  return eventRegistry[type];
}

function currentFixture(type: string): EventFixture {
  const { version } = entryOf(type);
  const fixture = fixtures.find((f) => f.type === type && f.version === version);
  if (!fixture) {
    throw new Error(`no fixture of ${type} v${version}`);
  }
  return fixture;
}

function objectSchema(type: string): z.ZodObject {
  const { schema } = entryOf(type);
  if (!(schema instanceof z.ZodObject)) {
    throw new Error(`${type}: the schema is not an object`);
  }
  return schema;
}

describe('event fixtures', () => {
  it.each(eventTypes)('%s has a fixture of its current version', (type) => {
    expect(existsSync(join(EVENT_FIXTURES_DIR, type, `v${eventRegistry[type].version}.json`))).toBe(true);
  });

  it('every fixture is of a registered type and a version up to the current one', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(eventTypes.length);
    for (const { type, version } of fixtures) {
      expect(isEventType(type)).toBe(true);
      expect(version).toBeLessThanOrEqual(entryOf(type).version);
    }
  });

  it.each(fixtures.map((f) => [`${f.type} v${f.version}`, f] as const))('%s validates unchanged', (_name, fixture) => {
    expect(fixtureProblems(entryOf(fixture.type), fixture)).toEqual([]);
    const event = parseEvent(fixture.envelope);
    expect(event.version).toBe(entryOf(fixture.type).version);
    if (fixture.version === event.version) {
      expect(event).toEqual(fixture.envelope);
    }
  });

  // The fixtures hold every field, so each kind of incompatible schema change breaks its type's fixture test.
  describe.each(eventTypes)('an incompatible change of %s fails its fixture', (type) => {
    const fixture = currentFixture(type);
    const schema = objectSchema(type);
    const changed = (next: z.ZodType): string[] => fixtureProblems({ ...entryOf(type), schema: next }, fixture);

    it.each(Object.keys(schema.shape))('removing or renaming %s', (field) => {
      const omitted: Record<string, true> = { [field]: true };
      expect(changed(schema.omit(omitted as Parameters<typeof schema.omit>[0]))).not.toEqual([]);
    });

    it('a new required field', () => {
      expect(changed(schema.extend({ addedLater: z.string() }))).not.toEqual([]);
    });

    it('a field of another type', () => {
      const [field] = Object.keys(schema.shape);
      expect(changed(schema.extend({ [field ?? 'none']: z.object({ nested: z.literal(true) }) }))).not.toEqual([]);
    });
  });
});
