import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { Topology } from '@shelfwatch/messaging';
import { GENERATED_AUTH_HEADER, natsAuthorizationConfig, natsUsers } from '@shelfwatch/platform';
import { runCli } from './cli-main';
import { SERVICES } from './services';

/** The committed NATS user files: docker compose's server and the Kubernetes StatefulSet's. */
export const AUTH_CONFIG_FILES = ['deploy/nats/auth.conf', 'k8s/nats/auth.conf'] as const;

/** The users of every service under `namespace` (empty in a deployment), as nats-server reads them. */
export function authConfigText(namespace = ''): string {
  const manifests = SERVICE_NAMES.map((service) => SERVICES[service].manifest);
  return GENERATED_AUTH_HEADER + natsAuthorizationConfig(natsUsers(new Topology(namespace), manifests));
}

// dist/tools/cli/nats-auth-config.js -> repository root.
const ROOT = resolve(__dirname, '..', '..', '..');

if (require.main === module) {
  runCli('nats:auth-config', () => {
    for (const file of AUTH_CONFIG_FILES) {
      writeFileSync(resolve(ROOT, file), authConfigText());
      console.log(`wrote ${file}`);
    }
    return Promise.resolve();
  });
}
