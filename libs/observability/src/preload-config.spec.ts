import { preloadTracingOptions, serviceNameOf } from './preload-config';

describe('preloadTracingOptions', () => {
  it('names the service after the directory of its main script, at the package version', () => {
    expect(preloadTracingOptions('/app/dist/services/gateway/src/main.js', '3.4.5')).toEqual({
      serviceName: 'gateway',
      serviceVersion: '3.4.5',
    });
  });

  it('names a script outside src/ after its own directory, and a missing one as unknown', () => {
    expect(serviceNameOf('dist/tools/marketplace-sim/main.js')).toBe('marketplace-sim');
    expect(serviceNameOf(undefined)).toBe('unknown_service:node');
  });
});
