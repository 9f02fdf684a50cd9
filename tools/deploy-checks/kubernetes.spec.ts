import { SERVICE_NAMES } from '@shelfwatch/config';
import { Container, Workload, find, generated, migrationJob, workloads } from './k8s-types';
import { K8sObject, renderKustomization, schemaProblems } from './manifests';
import { serviceSecrets } from './service-variables';

// The pinned kubectl renders each overlay offline; every object is validated against the Kubernetes schemas
// (kubernetes-models), then the properties that make a rollout safe are checked service by service.

/** Autoscaled services (the others run a fixed number of replicas). */
const AUTOSCALED = ['gateway', 'crawler', 'ranking'];

/** Every secret any service reads (from their configuration specs): never a literal value in a manifest. */
const SECRET_VARIABLES = SERVICE_NAMES.flatMap((service) => {
  const { required, optional } = serviceSecrets(service);
  return [...required, ...optional];
});

/** The one secret-typed variable kept in the ConfigMap: the in-cluster NATS URL carries no credential. */
const IN_CONFIG_MAP = ['NATS_URL'];

function semver(image: string): number[] {
  const tag = /:(\d+)\.(\d+)\.(\d+)/.exec(image);
  return tag ? tag.slice(1, 4).map(Number) : [];
}

/** Bytes of a Kubernetes quantity (`2Gi`, `512Mi`) or a NATS/Go size (`1536MB`, `18GB`, `900MiB`). */
function bytes(size: string): number {
  const match = /^(\d+)\s*(Ki|Mi|Gi|K|M|G)?B?$/.exec(size);
  if (!match) {
    return Number.NaN;
  }
  const factors: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
  return Number(match[1]) * (factors[match[2] ?? ''] ?? Number.NaN);
}

function serviceContainer(
  objects: readonly K8sObject[],
  service: string,
): { workload: Workload; container: Container } {
  const workload = find<Workload>(objects, 'Deployment', service);
  const container = workload.spec.template.spec.containers[0];
  if (!container) {
    throw new Error(`Deployment ${service} has no container`);
  }
  return { workload, container };
}

describe.each(['dev', 'prod'])('k8s/overlays/%s', (overlay) => {
  const objects = renderKustomization(`k8s/overlays/${overlay}`);
  const config = generated<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap', 'shelfwatch-config');

  it('renders objects that the Kubernetes schemas accept', () => {
    expect(objects.length).toBeGreaterThan(30);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('puts everything in one namespace and commits no secret', () => {
    const namespaced = objects.filter((object) => object.kind !== 'Namespace');
    expect(new Set(namespaced.map((object) => object.metadata.namespace))).toEqual(
      new Set([overlay === 'prod' ? 'shelfwatch' : 'shelfwatch-dev']),
    );
    // Production's secrets come from the platform's secret manager; dev generates throwaway ones (hashed names).
    const secrets = objects.filter((object) => object.kind === 'Secret').map((secret) => secret.metadata.name);
    if (overlay === 'prod') {
      expect(secrets).toEqual([]);
    } else {
      expect(secrets.filter((name) => !/^shelfwatch-[a-z-]+-[a-z0-9]{10}$/.test(name))).toEqual([]);
    }
    const literalSecrets = workloads(objects).flatMap((workload) =>
      [...workload.spec.template.spec.containers, ...(workload.spec.template.spec.initContainers ?? [])].flatMap(
        (container) =>
          (container.env ?? [])
            .filter((variable) => SECRET_VARIABLES.includes(variable.name) && !variable.valueFrom?.secretKeyRef)
            .map((variable) => `${workload.metadata.name}/${container.name}: ${variable.name}`),
      ),
    );
    expect(literalSecrets).toEqual([]);
  });

  it.each(SERVICE_NAMES)('runs %s non-root on a read-only filesystem with resources and a preStop pause', (service) => {
    const { workload, container } = serviceContainer(objects, service);
    const pod = workload.spec.template.spec;
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    expect(pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources?.limits?.memory).toEqual(expect.any(String));
    expect(container.args).toEqual([service]);
    expect(container.image).toMatch(/^ghcr\.io\/shelfwatch\/shelfwatch:/);
  });

  it.each(SERVICE_NAMES)('gives %s every secret it needs in production, from a Secret', (service) => {
    const { container } = serviceContainer(objects, service);
    const fromSecrets = (container.env ?? [])
      .filter((variable) => variable.valueFrom?.secretKeyRef)
      .map(({ name }) => name);
    const inConfigMap = Object.keys(config.data);
    for (const variable of serviceSecrets(service).required) {
      const provided = IN_CONFIG_MAP.includes(variable)
        ? inConfigMap.includes(variable)
        : fromSecrets.includes(variable);
      expect({ variable, provided }).toEqual({ variable, provided: true });
    }
  });

  it.each(SERVICE_NAMES)('gives %s a termination grace longer than preStop plus its shutdown bound', (service) => {
    const { workload, container } = serviceContainer(objects, service);
    const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(preStopSeconds).toBeGreaterThanOrEqual(5);
    const shutdownSeconds = Number(config.data.SHUTDOWN_TIMEOUT_MS) / 1000;
    expect(shutdownSeconds).toBeGreaterThan(0);
    expect(workload.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + shutdownSeconds);
  });

  it.each(SERVICE_NAMES)('gives %s a Service and a PodDisruptionBudget', (service) => {
    expect(find(objects, 'Service', service)).toBeDefined();
    const budget = find<K8sObject & { spec: { maxUnavailable?: number } }>(objects, 'PodDisruptionBudget', service);
    expect(budget.spec.maxUnavailable).toBe(1);
  });

  it('autoscales gateway, crawler and ranking, and those only', () => {
    type Hpa = K8sObject & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } };
    const hpas = objects.filter((object): object is Hpa => object.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name).sort()).toEqual([...AUTOSCALED].sort());
    for (const hpa of hpas) {
      expect(find(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name)).toBeDefined();
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(overlay === 'prod' ? 2 : 1);
    }
  });

  it('lets traffic from outside reach the gateway only', () => {
    type Policy = K8sObject & {
      spec: {
        podSelector: { matchLabels?: Record<string, string> };
        policyTypes: string[];
        ingress?: { from?: unknown[] }[];
      };
    };
    const policies = objects.filter((object): object is Policy => object.kind === 'NetworkPolicy');
    const denyAll = policies.find((policy) => Object.keys(policy.spec.podSelector.matchLabels ?? {}).length === 0);
    expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // A rule without `from` admits any source: only the gateway's policy may have one.
    const openToAll = policies.filter((policy) => (policy.spec.ingress ?? []).some((rule) => rule.from === undefined));
    expect(openToAll.map((policy) => policy.spec.podSelector.matchLabels)).toEqual([
      { 'app.kubernetes.io/name': 'gateway' },
    ]);
  });

  it('migrates and provisions in a Job named after the release, so that every upgrade runs it again', () => {
    const job = migrationJob(objects);
    const tags = new Set(
      workloads(objects).flatMap((workload) =>
        workload.spec.template.spec.containers
          .filter((container) => container.image.startsWith('ghcr.io/shelfwatch/shelfwatch:'))
          // The tag, without a pinned digest (`…:0.1.0@sha256:…`).
          .map((container) => /:([^:@]+)(@|$)/.exec(container.image)?.[1]),
      ),
    );
    expect([...tags]).toEqual([job.metadata.name.replace('shelfwatch-migrate-', '')]);
    const init = job.spec.template.spec.initContainers ?? [];
    const [provision] = job.spec.template.spec.containers;
    expect(provision?.args).toEqual(['provision']);
    if (overlay === 'prod') {
      // Each schema as its own role, then streams with three replicas.
      expect(init.map((container) => container.args)).toEqual(SERVICE_NAMES.map((service) => ['migrate', service]));
      expect(
        init.map((container) => container.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom),
      ).toEqual(SERVICE_NAMES.map((service) => ({ secretKeyRef: { name: `shelfwatch-db-${service}`, key: 'url' } })));
      expect(provision?.env).toContainEqual({ name: 'JETSTREAM_REPLICAS', value: '3' });
    } else {
      // The in-cluster Postgres is empty: development mode creates the database, the roles and the schemas.
      expect(init.map((container) => container.args)).toEqual([['migrate']]);
      expect(init[0]?.env).toContainEqual({ name: 'NODE_ENV', value: 'development' });
      expect(provision?.env).toContainEqual({ name: 'JETSTREAM_REPLICAS', value: '1' });
    }
  });

  it.each(SERVICE_NAMES)('starts %s only once its migrations and consumers are there (no crash loop)', (service) => {
    const { workload, container } = serviceContainer(objects, service);
    const [wait, ...others] = workload.spec.template.spec.initContainers ?? [];
    expect(others).toEqual([]);
    expect(wait?.args).toEqual(['wait-for-setup', service]);
    const envOf = (of: Container | undefined, name: string) => of?.env?.find((variable) => variable.name === name);
    for (const variable of ['DATABASE_URL', 'NATS_USER', 'NATS_PASSWORD']) {
      expect(envOf(wait, variable)).toEqual(envOf(container, variable));
    }
  });

  it('names the config it generates by its content, so that a change rolls the pods', () => {
    const referenced = workloads(objects).flatMap((workload) =>
      [...workload.spec.template.spec.containers, ...(workload.spec.template.spec.initContainers ?? [])].flatMap(
        (container) => (container.envFrom ?? []).map((source) => source.configMapRef?.name),
      ),
    );
    expect(new Set(referenced)).toEqual(new Set([config.metadata.name]));
    const natsConfig = generated(objects, 'ConfigMap', 'nats-config');
    const natsVolumes = find<Workload>(objects, 'StatefulSet', 'nats').spec.template.spec.volumes ?? [];
    expect(natsVolumes.map((volume) => volume.configMap?.name)).toContain(natsConfig.metadata.name);
  });

  it('runs NATS 2.12.3+ with JetStream, file storage below its volume and fsync on every write', () => {
    const nats = find<Workload>(objects, 'StatefulSet', 'nats');
    expect(nats.spec.replicas).toBe(overlay === 'prod' ? 3 : 1);
    const [server] = nats.spec.template.spec.containers;
    const [major = 0, minor = 0, patch = 0] = semver(server?.image ?? '');
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(2_012_003);
    const natsConfig = generated<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap', 'nats-config');
    expect(natsConfig.data['nats.conf']).toMatch(/^include \.\/jetstream\.conf$/m);
    const jetstream = natsConfig.data['jetstream.conf'] ?? '';
    expect(jetstream).toMatch(/sync_interval: always/);
    expect(jetstream).toMatch(/store_dir: \/data/);
    const fileStore = bytes(/max_file_store: (\S+)/.exec(jetstream)?.[1] ?? '');
    const volume = bytes(nats.spec.volumeClaimTemplates?.[0]?.spec.resources.requests.storage ?? '');
    expect(fileStore).toBeGreaterThan(0);
    expect(fileStore).toBeLessThan(volume * 0.95);
    // Three servers route to each other; dev's one server has no cluster block at all.
    expect(/^cluster \{/m.test(natsConfig.data['cluster.conf'] ?? '')).toBe(overlay === 'prod');
  });

  it('gives NATS a Go memory limit below its container limit and a Prometheus exporter', () => {
    const nats = find<Workload>(objects, 'StatefulSet', 'nats');
    const [server, exporter] = nats.spec.template.spec.containers;
    const goMemLimit = server?.env?.find((variable) => variable.name === 'GOMEMLIMIT')?.value ?? '';
    expect(bytes(goMemLimit)).toBeGreaterThan(0);
    expect(bytes(goMemLimit)).toBeLessThan(bytes(server?.resources?.limits?.memory ?? ''));
    expect(exporter?.image).toMatch(/^natsio\/prometheus-nats-exporter:\d+\.\d+\.\d+$/);
    expect(exporter?.args).toContain('http://localhost:8222');
    expect(exporter?.args).toContain('-jsz=all');
  });

  it('leaves the replicas of every autoscaled Deployment to its autoscaler', () => {
    for (const service of AUTOSCALED) {
      expect({ service, replicas: serviceContainer(objects, service).workload.spec.replicas }).toEqual({
        service,
        replicas: undefined,
      });
    }
  });

  if (overlay === 'prod') {
    it('runs at least two replicas of every service', () => {
      for (const service of SERVICE_NAMES.filter((name) => !AUTOSCALED.includes(name))) {
        expect({ service, replicas: serviceContainer(objects, service).workload.spec.replicas }).toEqual({
          service,
          replicas: 2,
        });
      }
    });
  }
});
