import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TracingOptions } from './tracing';

/** The `name` of the repository's root `package.json`, whose version every service reports. */
const ROOT_PACKAGE_NAME = 'shelfwatch';

/**
 * The tracing options of a process started with the preload: `dist/services/gateway/src/main.js` is the service
 * `gateway` at the version of the ShelfWatch package found above `packageSearchFrom`. The standard `OTEL_*`
 * variables (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, the sampler, the exporter, `OTEL_SDK_DISABLED`) are
 * read by the OpenTelemetry SDK itself and override these.
 */
export function preloadTracingOptions(mainScript: string | undefined, packageSearchFrom: string): TracingOptions {
  const serviceVersion = packageVersionAbove(packageSearchFrom);
  return { serviceName: serviceNameOf(mainScript), ...(serviceVersion ? { serviceVersion } : {}) };
}

/** The directory that names a script's service: its own, or its parent's when it sits in `src/`. */
export function serviceNameOf(mainScript: string | undefined): string {
  if (!mainScript) {
    return 'unknown_service:node';
  }
  const dir = dirname(mainScript);
  return basename(dir) === 'src' ? basename(dirname(dir)) : basename(dir);
}

/** The version of the nearest ShelfWatch `package.json` in `dir` or above it; undefined when there is none. */
export function packageVersionAbove(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const version = shelfwatchVersionIn(current);
    if (version !== undefined || dirname(current) === current) {
      return version;
    }
  }
}

function shelfwatchVersionIn(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(text) as { name?: unknown; version?: unknown };
  return manifest.name === ROOT_PACKAGE_NAME && typeof manifest.version === 'string' ? manifest.version : undefined;
}
