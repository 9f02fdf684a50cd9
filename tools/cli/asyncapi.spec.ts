import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { eventRegistry, eventTypes } from '@shelfwatch/contracts';
import { ASYNCAPI_PATH, asyncApiText } from './asyncapi';

describe('the committed AsyncAPI document', () => {
  const committed = readFileSync(resolve(ASYNCAPI_PATH), 'utf8');
  // Parsing takes seconds: once for the file's checks.
  let parsed: Awaited<ReturnType<Parser['parse']>>;
  beforeAll(async () => {
    parsed = await new Parser().parse(committed);
  }, 60_000);

  it('is what the event registry generates now (run `npm run asyncapi` and commit when this fails)', () => {
    expect(committed).toBe(asyncApiText());
  });

  it('is a valid AsyncAPI 3.0 document for @asyncapi/parser', () => {
    const { document, diagnostics } = parsed;
    expect(
      diagnostics
        .filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error))
        .map((d) => `${d.path.join('.')}: ${d.message}`),
    ).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('lists exactly the registry event types and versions, each on its subject with its JSON Schema', () => {
    const { document } = parsed;
    const listed = (document?.messages().all() ?? []).map(
      (m) => `${m.name() ?? ''}@${String(m.extensions().get('x-shelfwatch-event-version')?.value())}`,
    );
    expect(listed.sort()).toEqual(eventTypes.map((type) => `${type}@${eventRegistry[type].version}`).sort());
    for (const channel of document?.channels().all() ?? []) {
      const [only] = channel.messages().all();
      expect(channel.address()).toBe(only?.name());
      const payload = only?.payload()?.json() as { properties: Record<string, { const?: unknown }> };
      expect(payload.properties.type?.const).toBe(channel.address());
      expect(Object.keys(payload.properties)).toEqual(
        expect.arrayContaining(['id', 'type', 'version', 'occurredAt', 'tenantId', 'correlationId', 'data']),
      );
    }
  });
});
