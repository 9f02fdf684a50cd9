import { basename, dirname } from 'node:path';
import type { TracingOptions } from './tracing';

/** Where traces go when `OTEL_EXPORTER_OTLP_ENDPOINT` is not set (README.md, "Configuration"). */
export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/** The environment variables the preload reads. */
export interface PreloadEnv {
  OTEL_SERVICE_NAME?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_SDK_DISABLED?: string;
}

/**
 * The tracing options of a process started with the preload, from its environment and its main script
 * (`dist/services/gateway/src/main.js` names the service `gateway` unless `OTEL_SERVICE_NAME` says otherwise).
 * `OTEL_SDK_DISABLED=true` keeps context propagation and trace ids in logs but exports nothing.
 */
export function preloadTracingOptions(env: PreloadEnv, mainScript: string | undefined): TracingOptions {
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  return {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceNameOf(mainScript),
    otlpEndpoint: disabled ? null : env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || DEFAULT_OTLP_ENDPOINT,
  };
}

/** The directory that names a script's service: its own, or its parent's when it sits in `src/`. */
export function serviceNameOf(mainScript: string | undefined): string {
  if (!mainScript) {
    return 'unknown_service:node';
  }
  const dir = dirname(mainScript);
  return basename(dir) === 'src' ? basename(dirname(dir)) : basename(dir);
}
