import { DEFAULT_OTLP_ENDPOINT, preloadTracingOptions, serviceNameOf } from './preload-config';

describe('preloadTracingOptions', () => {
  it('names the service after the directory of its main script and exports to the local collector', () => {
    expect(preloadTracingOptions({}, '/app/dist/services/gateway/src/main.js')).toEqual({
      serviceName: 'gateway',
      otlpEndpoint: DEFAULT_OTLP_ENDPOINT,
    });
  });

  it('prefers OTEL_SERVICE_NAME and OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const env = { OTEL_SERVICE_NAME: 'crawler-2', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
    expect(preloadTracingOptions(env, '/app/dist/services/crawler/src/main.js')).toEqual({
      serviceName: 'crawler-2',
      otlpEndpoint: 'http://jaeger:4318',
    });
  });

  it('exports nothing when OTEL_SDK_DISABLED=true', () => {
    expect(preloadTracingOptions({ OTEL_SDK_DISABLED: 'true' }, 'dist/tools/cli/start.js').otlpEndpoint).toBeNull();
  });

  it('names a script outside src/ after its own directory, and a missing one as unknown', () => {
    expect(serviceNameOf('dist/tools/marketplace-sim/main.js')).toBe('marketplace-sim');
    expect(serviceNameOf(undefined)).toBe('unknown_service:node');
  });
});
