import { SERVICE_NAMES } from '@shelfwatch/config';
import { Topology } from '@shelfwatch/messaging';
import { PROVISIONER_USER, natsPasswordVariable, natsUsers } from '@shelfwatch/platform';
import { AUTH_CONFIG_FILES, authConfigText } from '../cli/nats-auth-config';
import { SERVICES } from '../cli/services';
import { Container, Workload, find, migrationJob } from './k8s-types';
import { readText, readYaml, renderKustomization } from './manifests';

// The NATS users the committed configurations define are the ones the code derives from the service manifests
// (`npm run nats:auth-config` writes them), and every deployment gives each service its own user and password.

const USERS = [...SERVICE_NAMES, PROVISIONER_USER];

interface ComposeService {
  environment?: Record<string, string>;
  volumes?: string[];
}

const compose = readYaml('docker-compose.yml') as { services: Record<string, ComposeService> };

describe('NATS users in the committed configurations', () => {
  it.each(AUTH_CONFIG_FILES)('%s is what the service manifests give (run `npm run nats:auth-config`)', (file) => {
    expect(readText(file)).toBe(authConfigText());
  });

  it('defines the users the code derives, one per service and the provisioner', () => {
    const manifests = SERVICE_NAMES.map((service) => SERVICES[service].manifest);
    expect(natsUsers(new Topology(''), manifests).map(({ user }) => user)).toEqual(USERS);
    for (const file of ['deploy/nats/nats.conf', 'k8s/nats/nats.conf']) {
      expect(readText(file)).toMatch(/^include \.\/auth\.conf$/m);
    }
  });

  it('compose: the server gets every password, each service and the setup job their own user', () => {
    const nats = compose.services.nats ?? {};
    expect(nats.volumes).toContain('./deploy/nats/auth.conf:/etc/nats/auth.conf:ro');
    expect(Object.keys(nats.environment ?? {}).sort()).toEqual(USERS.map(natsPasswordVariable).sort());
    const expected = (user: string) => ({
      NATS_USER: user,
      NATS_PASSWORD: `\${${natsPasswordVariable(user)}:-shelfwatch-local-nats-${user}}`,
    });
    for (const service of SERVICE_NAMES) {
      expect(compose.services[service]?.environment).toMatchObject(expected(service));
      expect(nats.environment?.[natsPasswordVariable(service)]).toBe(expected(service).NATS_PASSWORD);
    }
    expect(compose.services.setup?.environment).toMatchObject(expected(PROVISIONER_USER));
  });

  it('k8s: each server reads every password from its Secret, each service and the provisioner their own', () => {
    const objects = renderKustomization('k8s/overlays/prod');
    const secretOf = (container: Container | undefined, variable: string) =>
      container?.env?.find((entry) => entry.name === variable)?.valueFrom?.secretKeyRef;
    const [server] = find<Workload>(objects, 'StatefulSet', 'nats').spec.template.spec.containers;
    for (const user of USERS) {
      expect(secretOf(server, natsPasswordVariable(user))).toEqual({
        name: `shelfwatch-nats-${user}`,
        key: 'password',
      });
    }
    for (const service of SERVICE_NAMES) {
      const [container] = find<Workload>(objects, 'Deployment', service).spec.template.spec.containers;
      expect(container?.env).toContainEqual({ name: 'NATS_USER', value: service });
      expect(secretOf(container, 'NATS_PASSWORD')).toEqual({ name: `shelfwatch-nats-${service}`, key: 'password' });
    }
    const [provision] = migrationJob(objects).spec.template.spec.containers;
    expect(provision?.env).toContainEqual({ name: 'NATS_USER', value: PROVISIONER_USER });
    expect(secretOf(provision, 'NATS_PASSWORD')).toEqual({ name: 'shelfwatch-nats-provisioner', key: 'password' });
  });
});
