import { K8sObject } from './manifests';

/** The parts of a rendered container the deployment checks read. */
export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: { command: string[] } } };
  imagePullPolicy?: string;
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

/** A probe (HTTP, TCP or a command). */
export interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

/** A pod template's spec. */
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  volumes?: { name: string; emptyDir?: object; configMap?: { name: string } }[];
  affinity?: { podAntiAffinity?: Record<string, unknown> };
}

/** A Deployment, StatefulSet or Job as far as the checks go. */
export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    template: { spec: PodSpec };
    volumeClaimTemplates?: { spec: { resources: { requests: { storage: string } } } }[];
  };
}

/** The kinds that run pods. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];

/** Every Deployment, StatefulSet and Job. */
export function workloads(objects: readonly K8sObject[]): Workload[] {
  return objects.filter((object): object is Workload => WORKLOAD_KINDS.includes(object.kind));
}

/** The release's migration Job, `shelfwatch-migrate-<image tag>` (exactly one expected). */
export function migrationJob(objects: readonly K8sObject[]): Workload {
  const jobs = objects.filter(
    (object) => object.kind === 'Job' && object.metadata.name.startsWith('shelfwatch-migrate-'),
  );
  if (jobs.length !== 1) {
    throw new Error(`expected one migration Job, found ${jobs.length}`);
  }
  return jobs[0] as Workload;
}

/** The generated object (ConfigMap, Secret) kustomize named `<name>-<hash>` (exactly one expected). */
export function generated<T extends K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T {
  const found = objects.filter(
    (object) => object.kind === kind && new RegExp(`^${name}-[a-z0-9]{10}$`).test(object.metadata.name),
  );
  if (found.length !== 1) {
    throw new Error(`expected one generated ${kind} ${name}-<hash>, found ${found.length}`);
  }
  return found[0] as T;
}

/** The objects of `kind` named `name` (exactly one expected). */
export function find<T extends K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  }
  return found[0] as T;
}

/** The container port a probe's `port` (number or name) stands for. */
export function probePort(container: Container, probe: Probe | undefined): number | undefined {
  const port = probe?.httpGet?.port;
  return typeof port === 'number' ? port : container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}
