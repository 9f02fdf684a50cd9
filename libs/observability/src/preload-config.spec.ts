import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVersionAbove, preloadTracingOptions, serviceNameOf } from './preload-config';

describe('preloadTracingOptions', () => {
  it('names the service after the directory of its main script, at the version of the ShelfWatch package', () => {
    const root = mkdtempSync(join(tmpdir(), 'preload-config-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shelfwatch', version: '3.4.5' }));
    const preloadDir = join(root, 'dist', 'libs', 'observability', 'src');
    mkdirSync(preloadDir, { recursive: true });
    expect(preloadTracingOptions(join(root, 'dist/services/gateway/src/main.js'), preloadDir)).toEqual({
      serviceName: 'gateway',
      serviceVersion: '3.4.5',
    });
  });

  it('skips the package.json of a workspace library on the way up', () => {
    const root = mkdtempSync(join(tmpdir(), 'preload-config-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shelfwatch', version: '1.0.0' }));
    const lib = join(root, 'libs', 'observability');
    mkdirSync(join(lib, 'src'), { recursive: true });
    writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: '@shelfwatch/observability', version: '9.9.9' }));
    expect(packageVersionAbove(join(lib, 'src'))).toBe('1.0.0');
  });

  it('reports no version outside a ShelfWatch checkout', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'preload-config-'));
    expect(preloadTracingOptions('/app/dist/services/crawler/src/main.js', elsewhere)).toEqual({
      serviceName: 'crawler',
    });
  });

  it('names a script outside src/ after its own directory, and a missing one as unknown', () => {
    expect(serviceNameOf('dist/tools/marketplace-sim/main.js')).toBe('marketplace-sim');
    expect(serviceNameOf(undefined)).toBe('unknown_service:node');
  });
});
