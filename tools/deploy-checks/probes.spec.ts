import { DEFAULT_PORTS, GATEWAY_METRICS_PORT, SERVICE_NAMES } from '@shelfwatch/config';
import { readinessUrl } from '../cli/children';
import { healthUrl } from '../cli/healthcheck';
import { LIVENESS_PROBE } from '../../test/faults/probes';
import { healthRoutes } from './health-routes';
import { Workload, find, probePort } from './k8s-types';
import { K8sObject, readYaml, renderKustomization } from './manifests';

// The probes of every deployment target point at what the services really serve: the paths of the shared health
// module (libs/platform) and the ports of DEFAULT_PORTS (libs/config). Changing either breaks this test.

const routes = healthRoutes();

describe('health routes served by every service', () => {
  it('are GET /health/live and GET /health/ready (docs/architecture.md, "Environment and ports")', () => {
    expect(routes).toEqual({ live: '/health/live', ready: '/health/ready' });
  });
});

describe.each(['dev', 'prod'])('Kubernetes probes (k8s/overlays/%s)', (overlay) => {
  const objects = renderKustomization(`k8s/overlays/${overlay}`);

  it.each(SERVICE_NAMES)(
    '%s: liveness on the live route, readiness and startup on the ready route, on its port',
    (service) => {
      const [container] = find<Workload>(objects, 'Deployment', service).spec.template.spec.containers;
      if (!container) {
        throw new Error(`${service} has no container`);
      }
      const port = DEFAULT_PORTS[service];
      const metrics = { name: 'metrics', containerPort: GATEWAY_METRICS_PORT, protocol: 'TCP' };
      expect(container.ports).toEqual([
        { name: 'http', containerPort: port, protocol: 'TCP' },
        ...(service === 'gateway' ? [metrics] : []),
      ]);
      expect(container.env).toContainEqual({ name: 'PORT', value: String(port) });
      expect([container.livenessProbe?.httpGet?.path, probePort(container, container.livenessProbe)]).toEqual([
        routes.live,
        port,
      ]);
      expect([container.readinessProbe?.httpGet?.path, probePort(container, container.readinessProbe)]).toEqual([
        routes.ready,
        port,
      ]);
      expect([container.startupProbe?.httpGet?.path, probePort(container, container.startupProbe)]).toEqual([
        routes.ready,
        port,
      ]);
      // Start-up may take a while (first NATS connection, consumers): a minute before liveness takes over.
      const { periodSeconds = 10, failureThreshold = 3 } = container.startupProbe ?? {};
      expect(periodSeconds * failureThreshold).toBeGreaterThanOrEqual(60);
      // The fault suite judges liveness failures by the restarts this probe would make (test/faults/probes.ts).
      const { periodSeconds: period, timeoutSeconds, failureThreshold: threshold } = container.livenessProbe ?? {};
      expect({ periodSeconds: period, timeoutSeconds, failureThreshold: threshold }).toEqual(LIVENESS_PROBE);
    },
  );

  it.each(SERVICE_NAMES)('%s: its Service forwards its port', (service) => {
    const svc = find<Workload & { spec: { ports: { port: number; targetPort: string }[] } }>(
      objects,
      'Service',
      service,
    );
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: DEFAULT_PORTS[service], targetPort: 'http', protocol: 'TCP' },
    ]);
  });
});

/** A NetworkPolicy as far as its ingress ports go. */
interface IngressPolicy extends K8sObject {
  spec: { ingress: { ports?: { port: string }[] }[] };
}

describe.each(['dev', 'prod'])('the gateway metrics port (k8s/overlays/%s)', (overlay) => {
  const objects = renderKustomization(`k8s/overlays/${overlay}`);
  const portsOf = (policy: string): string[] =>
    find<IngressPolicy>(objects, 'NetworkPolicy', policy).spec.ingress.flatMap((rule) =>
      (rule.ports ?? []).map((port) => port.port),
    );

  it('is what the gateway listens on and what Prometheus is told to scrape', () => {
    const deployment = find<Workload & { spec: { template: { metadata: { annotations?: Record<string, string> } } } }>(
      objects,
      'Deployment',
      'gateway',
    );
    const [container] = deployment.spec.template.spec.containers;
    expect(container?.env).toContainEqual({ name: 'METRICS_PORT', value: String(GATEWAY_METRICS_PORT) });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(GATEWAY_METRICS_PORT),
      'prometheus.io/path': '/metrics',
    });
  });

  it('is reachable from the monitoring namespace only, never from outside', () => {
    expect(portsOf('gateway-from-anywhere')).toEqual(['http']);
    expect(portsOf('metrics-from-monitoring')).toEqual(expect.arrayContaining(['http', 'metrics']));
  });
});

describe('docker compose health checks and npm start readiness', () => {
  const compose = readYaml('docker-compose.yml') as {
    services: Record<string, { environment?: Record<string, string> }>;
  };

  it.each(SERVICE_NAMES)('%s: the image health check asks the ready route on its default port', (service) => {
    // Compose sets no PORT: each service listens on its default, which the health check also uses.
    expect(compose.services[service]?.environment?.PORT).toBeUndefined();
    expect(healthUrl(service, 0, 3100)).toBe(`http://127.0.0.1:${DEFAULT_PORTS[service]}${routes.ready}`);
  });

  it.each(SERVICE_NAMES)('%s: npm start waits for the ready route on its port', (service) => {
    expect(readinessUrl(service, 0)).toBe(`http://127.0.0.1:${DEFAULT_PORTS[service]}${routes.ready}`);
    expect(readinessUrl(service, 20_000)).toBe(`http://127.0.0.1:${DEFAULT_PORTS[service] + 20_000}${routes.ready}`);
  });
});
