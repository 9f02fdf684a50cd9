import { basename, dirname } from 'node:path';
import type { TracingOptions } from './tracing';

/**
 * The tracing options of a process started with the preload: `dist/services/gateway/src/main.js` is the service
 * `gateway`, at `version` (the ShelfWatch package's). The standard `OTEL_*` variables (`OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES`, the sampler, the exporter, `OTEL_SDK_DISABLED`) are read by the OpenTelemetry SDK
 * itself and override these (docs/operations.md §Tracing).
 */
export function preloadTracingOptions(mainScript: string | undefined, version: string): TracingOptions {
  return { serviceName: serviceNameOf(mainScript), serviceVersion: version };
}

/** The directory that names a script's service: its own, or its parent's when it sits in `src/`. */
export function serviceNameOf(mainScript: string | undefined): string {
  if (!mainScript) {
    return 'unknown_service:node';
  }
  const dir = dirname(mainScript);
  return basename(dir) === 'src' ? basename(dirname(dir)) : basename(dir);
}
