import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root. */
export const ROOT = resolve(__dirname, '..', '..');

/**
 * The kubectl that renders k8s/, installed by `npm run k8s:kubectl` (tools/k8s/install-kubectl.sh): one pinned
 * version everywhere, since an older kubectl on the PATH (Debian's 1.20) cannot read the kustomizations.
 */
const KUBECTL = join(ROOT, '.cache', 'kubectl-1.35.2', 'kubectl');

/** A Kubernetes object as rendered: only the fields every check reads are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

function isK8sObject(value: unknown): value is K8sObject {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  return typeof apiVersion === 'string' && typeof kind === 'string' && typeof metadata === 'object';
}

function kubectl(): string {
  if (!existsSync(KUBECTL)) {
    throw new Error(`${KUBECTL} is missing: npm run k8s:kubectl installs it (CI's .ci/run does)`);
  }
  return KUBECTL;
}

/** `kubectl kustomize <dir>` (offline), as objects. */
export function renderKustomization(dir: string): K8sObject[] {
  const text = execFileSync(kubectl(), ['kustomize', join(ROOT, dir)], { encoding: 'utf8' });
  return parseAllDocuments(text)
    .map((document) => document.toJS() as unknown)
    .filter(isK8sObject);
}

/** A YAML file of the repository, parsed (YAML 1.1 merge keys `<<` resolved, as docker compose does). */
export function readYaml(file: string): unknown {
  return parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true });
}

/** A file of the repository as text. */
export function readText(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** Whether a file of the repository exists. */
export function exists(file: string): boolean {
  return existsSync(join(ROOT, file));
}

/** One object `kubernetes-models` rejected, and why. */
export interface SchemaProblem {
  object: string;
  problem: string;
}

// kubernetes-models is ESM-only (`import` condition); the tests run as CommonJS, so a child Node validates.
const VALIDATOR = `
import { readFileSync } from 'node:fs';
const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const id = object.kind + '/' + object.metadata.name;
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [null, object.apiVersion];
  try {
    const models = await import(group ? 'kubernetes-models/' + group + '/' + version : 'kubernetes-models/' + version);
    const Model = models[object.kind];
    if (!Model) { problems.push({ object: id, problem: 'unknown kind for ' + object.apiVersion }); continue; }
    // kustomize wraps a long Secret value over lines (a literal block); the API server's base64 ignores line breaks.
    if (object.kind === 'Secret' && object.data) {
      object.data = Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\\n/g, '')]));
    }
    new Model(object).validate();
  } catch (error) {
    problems.push({ object: id, problem: error instanceof Error ? error.message : String(error) });
  }
}
process.stdout.write(JSON.stringify(problems));
`;

/** Validates every object against the Kubernetes OpenAPI schemas shipped by `kubernetes-models`. */
export function schemaProblems(objects: readonly K8sObject[]): SchemaProblem[] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', VALIDATOR], {
    cwd: ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(output) as SchemaProblem[];
}
