// The image's HEALTHCHECK: `node dist/tools/cli/healthcheck.js` exits 0 when the process of this container is
// ready (`GET /health/ready` of a service, the simulator's `/_sim/stats`), 1 otherwise. One-shot jobs (migrate, setup,
// provision) have nothing to check and count as healthy.
import { readFileSync, readdirSync } from 'node:fs';
import { DEFAULT_PORTS, Env, SERVICE_NAMES, ServiceName, integer, loadConfig, optionalText } from '@shelfwatch/config';

const healthcheckSpec = {
  /** Set by the compose file and the manifests; else found from the running process. */
  service: optionalText('SHELFWATCH_SERVICE'),
  port: integer('PORT', 0, 0, 65_535),
  simPort: integer('SIM_PORT', 3100, 0, 65_535),
};

/** What a container runs, as far as its health check is concerned. */
export type ContainerRole = ServiceName | 'sim' | 'job';

function isService(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** The role named by `name`, or null when it names none. */
export function roleOf(name: string): ContainerRole | null {
  if (isService(name) || name === 'sim') {
    return name;
  }
  return ['migrate', 'provision', 'setup'].includes(name) ? 'job' : null;
}

/** The role of the process running `dist/services/<name>/…` or the simulator, from `/proc/<pid>/cmdline`. */
function roleFromProcesses(): ContainerRole | null {
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = cmdlineOf(pid);
    const service = /dist\/services\/([a-z]+)\/src\/main\.js/.exec(cmdline)?.[1];
    if (service && isService(service)) {
      return service;
    }
    if (cmdline.includes('dist/tools/marketplace-sim/src/main.js')) {
      return 'sim';
    }
  }
  return null;
}

function cmdlineOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The URL that answers 200 when a container of `role` is ready; null for a one-shot job. */
export function healthUrl(role: ContainerRole, port: number, simPort: number): string | null {
  if (role === 'job') {
    return null;
  }
  if (role === 'sim') {
    return `http://127.0.0.1:${simPort}/_sim/stats`;
  }
  return `http://127.0.0.1:${port || DEFAULT_PORTS[role]}/health/ready`;
}

async function main(env: Env): Promise<number> {
  const config = loadConfig('healthcheck', healthcheckSpec, env);
  const role = (config.service ? roleOf(config.service) : null) ?? roleFromProcesses();
  if (!role) {
    process.stderr.write('healthcheck: no ShelfWatch process found (set SHELFWATCH_SERVICE)\n');
    return 1;
  }
  const url = healthUrl(role, config.port, config.simPort);
  if (!url) {
    return 0;
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return response.status === 200 ? 0 : 1;
  } catch {
    return 1;
  }
}

if (require.main === module) {
  void main(process.env).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
