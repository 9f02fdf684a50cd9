import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { EventRegistryEntry, InvalidEventError, envelopeSchema, upcastEventData } from '@shelfwatch/contracts';

/** Where the committed event fixtures live: `<type>/v<N>.json`, one realistic envelope each. */
export const EVENT_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'events');

/** One committed fixture: the envelope as a producer of that version wrote it. */
export interface EventFixture {
  type: string;
  version: number;
  file: string;
  envelope: Record<string, unknown> & { data: Record<string, unknown> };
}

function readJson(file: string): EventFixture['envelope'] {
  return JSON.parse(readFileSync(file, 'utf8')) as EventFixture['envelope'];
}

/** Every fixture under `dir`, by type directory and `v<N>.json` file name. */
export function loadEventFixtures(dir = EVENT_FIXTURES_DIR): EventFixture[] {
  return readdirSync(dir).flatMap((type) =>
    readdirSync(join(dir, type)).map((name) => {
      const version = /^v(\d+)\.json$/.exec(name)?.[1];
      if (version === undefined) {
        throw new Error(`${type}/${name}: a fixture is named v<N>.json`);
      }
      const file = join(dir, type, name);
      return { type, version: Number(version), file, envelope: readJson(file) };
    }),
  );
}

/**
 * What is wrong with a fixture against a registry entry (nothing: `[]`): its envelope and version, its data
 * through the upcasters and the current schema, and, for a fixture of the current version, whether that schema
 * keeps every field exactly (a removed or renamed field, which zod would silently strip, or a new default).
 */
export function fixtureProblems(entry: EventRegistryEntry, fixture: EventFixture): string[] {
  const envelope = envelopeSchema.safeParse(fixture.envelope);
  if (!envelope.success) {
    return [`envelope: ${envelope.error.message}`];
  }
  if (envelope.data.type !== fixture.type || envelope.data.version !== fixture.version) {
    return [`file says ${fixture.type} v${fixture.version}, envelope ${envelope.data.type} v${envelope.data.version}`];
  }
  let upcast: unknown;
  try {
    upcast = upcastEventData(fixture.type, entry, fixture.version, envelope.data.data);
  } catch (error) {
    return error instanceof InvalidEventError ? error.issues : [String(error)];
  }
  const data = entry.schema.safeParse(upcast);
  if (!data.success) {
    return data.error.issues.map((issue) => `data.${issue.path.join('.')}: ${issue.message}`);
  }
  if (fixture.version === entry.version && !isDeepStrictEqual(data.data, fixture.envelope.data)) {
    return [`data changed by the schema: ${JSON.stringify(data.data)}`];
  }
  return [];
}
