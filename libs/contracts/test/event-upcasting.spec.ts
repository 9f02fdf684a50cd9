import { join } from 'node:path';
import { z } from 'zod';
import {
  EventRegistryEntry,
  InvalidEventError,
  UnsupportedEventVersionError,
  crawlFailedV1,
  parseEvent,
  upcastEventData,
} from '@shelfwatch/contracts';
import { EVENT_FIXTURES_DIR, EventFixture, fixtureProblems, loadEventFixtures } from './event-fixtures';

/**
 * No event type has needed a second version yet (docs/events.md §Versioning), so the chain is proven on a
 * synthetic `crawl.failed` v2 whose retry fields are required: its v1 fixture is what a release before retries
 * wrote, its v2 fixture the shape the upcaster must give it.
 */
const crawlFailedV2 = crawlFailedV1.required({ attempt: true, willRetry: true, nextAttemptAt: true });
const v1ToV2 = (data: unknown) => {
  const v1 = crawlFailedV1.parse(data);
  return { ...v1, attempt: v1.attempt ?? 1, willRetry: v1.willRetry ?? false, nextAttemptAt: v1.nextAttemptAt ?? null };
};
const syntheticEntry: EventRegistryEntry = {
  version: 2,
  schema: crawlFailedV2,
  upcasters: [{ from: 1, schema: crawlFailedV1, up: v1ToV2 }],
};

const synthetic = loadEventFixtures(join(EVENT_FIXTURES_DIR, '..', 'synthetic'));

function fixture(version: number): EventFixture {
  const found = synthetic.find((f) => f.type === 'crawl.failed' && f.version === version);
  if (!found) {
    throw new Error(`no synthetic crawl.failed v${version}`);
  }
  return found;
}

describe('upcasting older event versions', () => {
  it('lifts a v1 written before retries to the v2 shape, defaults filled as consumers read their absence', () => {
    const [v1, v2] = [fixture(1), fixture(2)];
    expect(upcastEventData('crawl.failed', syntheticEntry, 1, v1.envelope.data)).toEqual(v2.envelope.data);
    expect(fixtureProblems(syntheticEntry, v1)).toEqual([]);
    expect(fixtureProblems(syntheticEntry, v2)).toEqual([]);
    // Without its upcaster the old version is not readable as the new one.
    expect(fixtureProblems({ ...syntheticEntry, upcasters: [] }, v1)).not.toEqual([]);
  });

  it('keeps what a v1 already carried (a v1 written after retries existed)', () => {
    const data = {
      ...fixture(1).envelope.data,
      attempt: 3,
      willRetry: true,
      nextAttemptAt: '2026-11-02T10:02:03.000Z',
    };
    expect(upcastEventData('crawl.failed', syntheticEntry, 1, data)).toMatchObject({ attempt: 3, willRetry: true });
  });

  it('applies a chain in order, each step from its own version only', () => {
    const steps: string[] = [];
    const step = (from: number) => ({
      from,
      schema: z.object({ trail: z.array(z.number()) }),
      up: (data: unknown) => {
        steps.push(`v${from}`);
        return { trail: [...(data as { trail: number[] }).trail, from + 1] };
      },
    });
    const entry: EventRegistryEntry = {
      version: 3,
      schema: z.object({ trail: z.array(z.number()) }),
      upcasters: [step(2), step(1)],
    };
    expect(upcastEventData('x.y', entry, 1, { trail: [1] })).toEqual({ trail: [1, 2, 3] });
    expect(upcastEventData('x.y', entry, 2, { trail: [2] })).toEqual({ trail: [2, 3] });
    expect(steps).toEqual(['v1', 'v2', 'v2']);
  });

  it('refuses a version older than the chain reaches, and old data that breaks its own schema', () => {
    const gap: EventRegistryEntry = {
      ...syntheticEntry,
      version: 3,
      upcasters: [{ from: 2, schema: crawlFailedV2, up: v1ToV2 }],
    };
    expect(() => upcastEventData('crawl.failed', gap, 1, fixture(1).envelope.data)).toThrow(
      UnsupportedEventVersionError,
    );
    const broken = { ...fixture(1).envelope.data, retryable: 'no' };
    let thrown: unknown;
    try {
      upcastEventData('crawl.failed', syntheticEntry, 1, broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEventError);
    expect((thrown as InvalidEventError).issues).toEqual([
      'data.retryable: Invalid input: expected boolean, received string',
    ]);
  });

  it('refuses a newer version than the registry knows, as an invalid event naming the version', () => {
    const newer = { ...fixture(2).envelope };
    let thrown: unknown;
    try {
      parseEvent(newer);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedEventVersionError);
    expect(thrown).toBeInstanceOf(InvalidEventError);
    expect((thrown as InvalidEventError).issues).toEqual(['version: 2 newer than the supported version 1']);
  });
});
