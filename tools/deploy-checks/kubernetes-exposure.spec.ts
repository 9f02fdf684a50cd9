import ipaddr from 'ipaddr.js';
import { Container, Workload, find, workloads } from './k8s-types';
import { K8sObject, readText, readYaml, renderKustomization } from './manifests';

// What a platform engineer reads in the rendered overlays: who may talk to whom (NetworkPolicies evaluated for a
// given pod, address and port), what the Ingress exposes, that every container is hardened and sized, that images
// are immutable, and that dev fits on one node with everything in it.

interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: unknown;
}
interface EgressRule {
  to?: Peer[];
  ports?: { port: number | string; protocol?: string }[];
}
interface Policy extends K8sObject {
  spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; egress?: EgressRule[] };
}
interface Ingress extends K8sObject {
  spec: {
    tls?: { hosts: string[]; secretName: string }[];
    rules: {
      host: string;
      http: {
        paths: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }[];
      };
    }[];
  };
}

/** An address on the internet (RFC 5737 / 3849 documentation ranges are private-looking; these are public). */
const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

function podLabels(workload: Workload): Record<string, string> {
  const template = workload.spec.template as { metadata?: { labels?: Record<string, string> } };
  return template.metadata?.labels ?? {};
}

function inBlock(address: string, block: { cidr: string; except?: string[] }): boolean {
  const parsed = ipaddr.parse(address);
  const within = (cidr: string) => {
    const range = ipaddr.parseCIDR(cidr);
    return range[0].kind() === parsed.kind() && parsed.match(range);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}

/** Whether the NetworkPolicies let a pod with `labels` open a TCP connection to `address`:`port` outside the cluster. */
function egressAllowed(objects: readonly K8sObject[], labels: Record<string, string>, address: string, port: number) {
  const policies = objects.filter(
    (object): object is Policy =>
      object.kind === 'NetworkPolicy' &&
      (object as Policy).spec.policyTypes.includes('Egress') &&
      Object.entries((object as Policy).spec.podSelector.matchLabels ?? {}).every(
        ([key, value]) => labels[key] === value,
      ),
  );
  return policies.some((policy) =>
    (policy.spec.egress ?? []).some(
      (rule) =>
        (rule.ports === undefined || rule.ports.some((allowed) => allowed.port === port)) &&
        (rule.to === undefined || rule.to.some((peer) => peer.ipBlock !== undefined && inBlock(address, peer.ipBlock))),
    ),
  );
}

function allContainers(workload: Workload): Container[] {
  return [...workload.spec.template.spec.containers, ...(workload.spec.template.spec.initContainers ?? [])];
}

describe.each(['dev', 'prod'])('k8s/overlays/%s, as exposed and hardened', (overlay) => {
  const objects = renderKustomization(`k8s/overlays/${overlay}`);
  const labelsOf = (name: string) => podLabels(find<Workload>(objects, 'Deployment', name));

  it('lets alerting deliver webhooks to the internet on the ports its configuration allows, nothing private', () => {
    const alerting = find<Workload>(objects, 'Deployment', 'alerting');
    const allowed = alerting.spec.template.spec.containers[0]?.env?.find(
      (variable) => variable.name === 'ALERTING_WEBHOOK_ALLOWED_PORTS',
    )?.value;
    const ports = (allowed ?? '').split(',').map(Number);
    expect(ports).toContain(443);
    for (const port of ports) {
      expect({ port, v4: egressAllowed(objects, labelsOf('alerting'), PUBLIC_V4, port) }).toEqual({ port, v4: true });
      expect({ port, v6: egressAllowed(objects, labelsOf('alerting'), PUBLIC_V6, port) }).toEqual({ port, v6: true });
    }
    expect(egressAllowed(objects, labelsOf('alerting'), PUBLIC_V4, 25)).toBe(false);
    for (const privateAddress of ['10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', 'fd00::1']) {
      expect({ privateAddress, allowed: egressAllowed(objects, labelsOf('alerting'), privateAddress, 443) }).toEqual({
        privateAddress,
        allowed: false,
      });
    }
  });

  it('lets no other service reach the internet, except the crawler (the marketplaces, over HTTPS)', () => {
    const reaching = ['gateway', 'crawler', 'ranking', 'reporting', 'retention', 'health'].filter((service) =>
      egressAllowed(objects, labelsOf(service), PUBLIC_V4, 443),
    );
    expect(reaching).toEqual(['crawler']);
  });

  it('lets only the gateway reach Redis, for its shared rate limits, from a Secret', () => {
    const reaching = ['gateway', 'crawler', 'ranking', 'alerting', 'reporting', 'retention', 'health'].filter(
      (service) => egressAllowed(objects, labelsOf(service), '10.1.2.3', 6379),
    );
    expect(reaching).toEqual(['gateway']);
    const env = find<Workload>(objects, 'Deployment', 'gateway').spec.template.spec.containers[0]?.env ?? [];
    expect(env.find((variable) => variable.name === 'RATE_LIMIT_REDIS_URL')?.valueFrom?.secretKeyRef).toMatchObject({
      name: expect.stringMatching(/^shelfwatch-redis/),
      key: 'url',
    });
  });

  it("routes only the gateway's API and its documentation through a TLS Ingress", () => {
    const ingresses = objects.filter((object): object is Ingress => object.kind === 'Ingress');
    expect(ingresses.map((ingress) => ingress.metadata.name)).toEqual(['gateway']);
    const [ingress] = ingresses;
    const rules = ingress?.spec.rules ?? [];
    const paths = rules.flatMap((rule) => rule.http.paths);
    expect(paths.map((path) => path.path).sort()).toEqual(['/docs', '/docs-json', '/v1']);
    expect(new Set(paths.map((path) => JSON.stringify(path.backend.service)))).toEqual(
      new Set([JSON.stringify({ name: 'gateway', port: { name: 'http' } })]),
    );
    const tlsHosts = (ingress?.spec.tls ?? []).flatMap((tls) => tls.hosts);
    expect(rules.every((rule) => tlsHosts.includes(rule.host))).toBe(true);
    expect(ingress?.spec.tls?.[0]?.secretName).toEqual(expect.any(String));
  });

  it('gives every container of every workload resources and a restricted security context', () => {
    const problems = workloads(objects).flatMap((workload) => {
      const pod = workload.spec.template.spec;
      const podProblems =
        pod.securityContext?.runAsNonRoot === true && pod.securityContext.seccompProfile?.type === 'RuntimeDefault'
          ? []
          : [`${workload.metadata.name}: pod not runAsNonRoot with seccomp RuntimeDefault`];
      return [
        ...podProblems,
        ...allContainers(workload).flatMap((container) => {
          const at = `${workload.kind}/${workload.metadata.name}/${container.name}`;
          const security = container.securityContext;
          return [
            ...(container.resources?.requests?.cpu && container.resources.requests.memory ? [] : [`${at}: requests`]),
            ...(container.resources?.limits?.memory ? [] : [`${at}: memory limit`]),
            ...(security?.allowPrivilegeEscalation === false &&
            security.readOnlyRootFilesystem === true &&
            security.privileged === false &&
            JSON.stringify(security.capabilities?.drop) === '["ALL"]'
              ? []
              : [`${at}: security context not restricted`]),
          ];
        }),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('probes every long-running container: started, alive and ready', () => {
    const unprobed = workloads(objects)
      .filter((workload) => workload.kind !== 'Job')
      .flatMap((workload) =>
        workload.spec.template.spec.containers
          .filter((container) => !(container.startupProbe && container.livenessProbe && container.readinessProbe))
          .map((container) => `${workload.metadata.name}/${container.name}`),
      );
    expect(unprobed).toEqual([]);
  });

  it('names every image by a version (or a digest) and pulls it only when absent', () => {
    const mutable = workloads(objects).flatMap((workload) =>
      allContainers(workload)
        .filter(
          (container) =>
            !/(:v?\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?(@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/.test(container.image) ||
            container.imagePullPolicy !== 'IfNotPresent',
        )
        .map(
          (container) => `${workload.metadata.name}/${container.name}: ${container.image} ${container.imagePullPolicy}`,
        ),
    );
    expect(mutable).toEqual([]);
  });

  it('runs the image the publishing workflow builds: ghcr.io/shelfwatch/shelfwatch at package.json version', () => {
    const { version } = readYaml('package.json') as { version: string };
    const ours = workloads(objects).flatMap((workload) =>
      allContainers(workload)
        .map((container) => container.image)
        .filter((image) => image.startsWith('ghcr.io/shelfwatch/')),
    );
    // A digest pinned after the tag (`kustomize edit set image …:<version>@sha256:…`) names the same release.
    expect(new Set(ours.map((image) => image.replace(/@sha256:[a-f0-9]{64}$/, '')))).toEqual(
      new Set([`ghcr.io/shelfwatch/shelfwatch:${version}`]),
    );
    const workflow = readText('.github/workflows/image.yml');
    expect(workflow).toMatch(/IMAGE: ghcr\.io\/shelfwatch\/shelfwatch$/m);
    expect(workflow).toMatch(/steps\.build\.outputs\.digest/);
  });

  if (overlay === 'dev') {
    it('fits on one node: no required anti-affinity, one NATS server', () => {
      const required = workloads(objects).filter(
        (workload) =>
          workload.spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      );
      expect(required.map((workload) => workload.metadata.name)).toEqual([]);
      expect(find<Workload>(objects, 'StatefulSet', 'nats').spec.replicas).toBe(1);
    });

    it('runs Postgres and the simulator in the namespace, and points every marketplace at the simulator', () => {
      expect(find(objects, 'StatefulSet', 'postgres')).toBeDefined();
      expect(find(objects, 'Service', 'postgres')).toBeDefined();
      expect(find(objects, 'Deployment', 'redis')).toBeDefined();
      expect(find(objects, 'Service', 'redis')).toBeDefined();
      const sim = find<Workload>(objects, 'Deployment', 'sim');
      expect(sim.spec.template.spec.containers[0]?.args).toEqual(['sim']);
      const simService = find<K8sObject & { spec: { ports: { port: number }[] } }>(objects, 'Service', 'sim');
      expect(simService.spec.ports.map((port) => port.port)).toEqual([3100]);
      const config = objects.find(
        (object): object is K8sObject & { data: Record<string, string> } =>
          object.kind === 'ConfigMap' && object.metadata.name.startsWith('shelfwatch-config-'),
      );
      for (const variable of ['NAVER_API_BASE_URL', 'EBAY_API_BASE_URL', 'RAKUTEN_API_BASE_URL']) {
        expect({ variable, host: new URL(config?.data[variable] ?? 'http://none').host }).toEqual({
          variable,
          host: 'sim:3100',
        });
      }
      expect(egressAllowed(objects, labelsOf('crawler'), PUBLIC_V4, 443)).toBe(true);
    });
  } else {
    it('keeps the three NATS servers on three nodes (required anti-affinity)', () => {
      const nats = find<Workload>(objects, 'StatefulSet', 'nats');
      expect(nats.spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual(
        expect.any(Array),
      );
    });
  }
});
