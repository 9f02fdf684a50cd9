import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { WIRE_MAP_PATH, readWire, wireMapText } from './wire-map';
import { SERVICES } from './services';

describe('docs/wire.md', () => {
  const root = resolve('.');

  it('is what the decorators, manifests and contracts generate now (run `npm run wire` and commit when this fails)', () => {
    expect(readFileSync(resolve(root, WIRE_MAP_PATH), 'utf8')).toBe(wireMapText(root));
  });

  it('finds exactly one @EventPattern handler in each service for every event type its manifest handles', () => {
    const wire = readWire(root);
    const handled = SERVICE_NAMES.flatMap((service) =>
      SERVICES[service].manifest.handles.map((type) => ({
        type,
        service,
        handlers: (wire.eventHandlers.get(type) ?? []).filter((site) => site.service === service).length,
      })),
    );
    expect(handled.filter((entry) => entry.handlers !== 1)).toEqual([]);
  });

  it('finds where the code writes every event type some service handles', () => {
    const wire = readWire(root);
    const unproduced = [...wire.eventHandlers.keys()].filter(
      (type) => (wire.eventProducers.get(type) ?? []).length === 0,
    );
    expect(unproduced).toEqual([]);
  });
});
