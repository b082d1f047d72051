import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// yaml 1.x is CommonJS: Node's ESM loader (npm run demo) sees only its default export.
import YAML from 'yaml';

/**
 * Renders a kustomization the way `kubectl kustomize` does, for the subset of kustomize that infra/k8s uses,
 * so the manifest test runs where no kubectl is installed. Anything outside that subset (a field it does not
 * know, a patch form it does not apply) throws instead of being ignored: a manifest the test cannot render
 * faithfully fails the test. `tools/k8s/manifests.spec.ts` compares the result with `kubectl kustomize` when kubectl is
 * on the PATH.
 */

export type KubeObject = Record<string, unknown>;

export interface KubeResource extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
}

interface PatchTarget {
  kind?: string;
  name?: string;
}

interface Kustomization {
  namespace?: string;
  namePrefix?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean }[];
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path?: string; patch?: string; target?: PatchTarget }[];
}

const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'namePrefix',
  'labels',
  'resources',
  'images',
  'patches',
]);

/** Cluster-scoped kinds among those infra/k8s uses: no namespace, no name prefix. */
const CLUSTER_SCOPED = new Set(['Namespace']);

/**
 * Strategic-merge keys of the Kubernetes lists the patches touch (from the API types' `patchMergeKey`): items
 * with the same key merge, others are added. A list not named here is replaced whole, as Kubernetes does for
 * lists without a merge key (`args`, an autoscaler's `metrics`).
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

export function renderKustomization(directory: string): KubeResource[] {
  const root = resolve(directory);
  const kustomization = readKustomization(root);
  let resources = (kustomization.resources ?? []).flatMap((entry) => loadResource(join(root, entry)));
  for (const patch of kustomization.patches ?? []) resources = applyPatch(root, resources, patch);
  if (kustomization.namePrefix !== undefined) resources = prefixNames(resources, kustomization.namePrefix);
  for (const label of kustomization.labels ?? []) {
    for (const resource of resources) addLabels(resource, label.pairs, label.includeSelectors === true);
  }
  if (kustomization.namespace !== undefined) {
    for (const resource of resources) {
      if (!CLUSTER_SCOPED.has(resource.kind)) resource.metadata.namespace = kustomization.namespace;
    }
  }
  for (const image of kustomization.images ?? []) for (const resource of resources) setImage(resource, image);
  return resources;
}

function readKustomization(directory: string): Kustomization {
  const parsed: unknown = YAML.parse(readFileSync(join(directory, 'kustomization.yaml'), 'utf8'));
  if (!isObject(parsed) || parsed.kind !== 'Kustomization') {
    throw new Error(`${directory}/kustomization.yaml is not a Kustomization`);
  }
  const unknown = Object.keys(parsed).filter((field) => !KNOWN_FIELDS.has(field));
  if (unknown.length > 0) {
    throw new Error(
      `${directory}/kustomization.yaml uses ${unknown.join(', ')}, which the renderer does not apply`,
    );
  }
  return parsed;
}

function loadResource(path: string): KubeResource[] {
  if (statSync(path).isDirectory()) return renderKustomization(path);
  return YAML.parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJSON() as unknown)
    .filter((value): value is KubeResource => isObject(value));
}

function applyPatch(
  root: string,
  resources: KubeResource[],
  patch: NonNullable<Kustomization['patches']>[number],
): KubeResource[] {
  const text = patch.path === undefined ? patch.patch : readFileSync(join(root, patch.path), 'utf8');
  if (text === undefined) throw new Error(`a patch in ${root} has neither path nor patch`);
  const body: unknown = YAML.parse(text);
  if (!Array.isArray(body) && !isObject(body))
    throw new Error(`a patch in ${root} is neither a list nor an object`);
  // A strategic merge patch names its resource unless a target selects them (then its own name is ignored);
  // a JSON 6902 patch (a list of operations) always needs a target.
  const target = patch.target ?? (isObject(body) ? identityOf(body) : undefined);
  if (target === undefined) throw new Error(`a JSON 6902 patch in ${root} needs a target`);
  // kustomize refuses a patch that applies to nothing: a renamed or removed resource is not silently skipped.
  if (!resources.some((resource) => matches(resource, target))) {
    throw new Error(`patch ${patch.path ?? '(inline)'} in ${root} matches no resource`);
  }
  return resources.map((resource) => {
    if (!matches(resource, target)) return resource;
    return Array.isArray(body)
      ? applyJsonPatch(resource, body as JsonPatchOperation[])
      : (strategicMerge(resource, withoutIdentity(body)) as KubeResource);
  });
}

function identityOf(patch: KubeObject): PatchTarget {
  const metadata = isObject(patch.metadata) ? patch.metadata : {};
  return { kind: String(patch.kind), name: String(metadata.name) };
}

function withoutIdentity(patch: KubeObject): KubeObject {
  const { metadata, ...rest } = patch;
  if (!isObject(metadata)) return rest;
  const { name: _name, ...otherMetadata } = metadata;
  return Object.keys(otherMetadata).length === 0 ? rest : { ...rest, metadata: otherMetadata };
}

function matches(resource: KubeResource, target: PatchTarget): boolean {
  return (
    (target.kind === undefined || resource.kind === target.kind) &&
    (target.name === undefined || resource.metadata.name === target.name)
  );
}

/** Kubernetes strategic merge: maps merge, keyed lists merge item by item (the patch's items first), others are replaced. */
function strategicMerge(original: unknown, patch: unknown, field = ''): unknown {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (key === undefined || !Array.isArray(original)) return structuredClone(patch);
    const originals = original as KubeObject[];
    const patchItems = patch as KubeObject[];
    const merged = patchItems.map((item) => {
      const existing = originals.find((candidate) => candidate[key] === item[key]);
      return existing === undefined ? structuredClone(item) : strategicMerge(existing, item);
    });
    const untouched = originals.filter(
      (candidate) => !patchItems.some((item) => item[key] === candidate[key]),
    );
    return [...merged, ...untouched.map((item) => structuredClone(item))];
  }
  if (isObject(patch) && isObject(original)) {
    const result: KubeObject = structuredClone(original);
    for (const [name, value] of Object.entries(patch)) {
      const merged = strategicMerge(original[name], value, name);
      if (merged === undefined) delete result[name];
      else result[name] = merged;
    }
    return result;
  }
  return structuredClone(patch);
}

interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

function applyJsonPatch(resource: KubeResource, operations: JsonPatchOperation[]): KubeResource {
  const result = structuredClone(resource);
  for (const operation of operations) {
    const steps = operation.path
      .split('/')
      .slice(1)
      .map((step) => step.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = steps.pop();
    if (last === undefined) throw new Error(`JSON patch path "${operation.path}" is empty`);
    let parent: unknown = result;
    for (const step of steps) {
      parent = Array.isArray(parent) ? parent[Number(step)] : isObject(parent) ? parent[step] : undefined;
      if (parent === undefined) throw new Error(`JSON patch path "${operation.path}" does not exist`);
    }
    applyOperation(parent, last, operation);
  }
  return result;
}

function applyOperation(parent: unknown, last: string, operation: JsonPatchOperation): void {
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (operation.op !== 'add' && index >= parent.length) throw new Error(`no item at "${operation.path}"`);
    if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
    else if (operation.op === 'replace') parent[index] = structuredClone(operation.value);
    else parent.splice(index, 1);
    return;
  }
  if (!isObject(parent)) throw new Error(`JSON patch path "${operation.path}" does not exist`);
  if (operation.op !== 'add' && !(last in parent)) throw new Error(`nothing at "${operation.path}"`);
  if (operation.op === 'remove') delete parent[last];
  else parent[last] = structuredClone(operation.value);
}

/** namePrefix, and the references kustomize updates with it (an autoscaler's target). */
function prefixNames(resources: KubeResource[], prefix: string): KubeResource[] {
  const renamed = new Map<string, string>();
  for (const resource of resources) {
    if (CLUSTER_SCOPED.has(resource.kind)) continue;
    const name = `${prefix}${resource.metadata.name}`;
    renamed.set(`${resource.kind}/${resource.metadata.name}`, name);
    resource.metadata.name = name;
  }
  for (const resource of resources) {
    if (resource.kind !== 'HorizontalPodAutoscaler') continue;
    const target = (resource.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
    target.name = renamed.get(`${target.kind}/${target.name}`) ?? target.name;
  }
  return resources;
}

/** `labels` with `includeSelectors`: metadata, and the selectors and pod templates that must carry them. */
function addLabels(resource: KubeResource, pairs: Record<string, string>, includeSelectors: boolean): void {
  resource.metadata.labels = { ...resource.metadata.labels, ...pairs };
  if (!includeSelectors) return;
  const spec = resource.spec as KubeObject | undefined;
  const merge = (holder: KubeObject, field: string): void => {
    holder[field] = { ...(holder[field] as Record<string, string> | undefined), ...pairs };
  };
  switch (resource.kind) {
    case 'Deployment': {
      const deployment = spec as { selector: KubeObject; template: { metadata: KubeObject } };
      merge(deployment.selector, 'matchLabels');
      merge(deployment.template.metadata, 'labels');
      return;
    }
    case 'Service':
      if (spec !== undefined) merge(spec, 'selector');
      return;
    case 'PodDisruptionBudget':
      merge((spec as { selector: KubeObject }).selector, 'matchLabels');
      return;
    default:
      return;
  }
}

function setImage(resource: KubeResource, image: NonNullable<Kustomization['images']>[number]): void {
  if (resource.kind !== 'Deployment') return;
  const pod = (resource.spec as { template: { spec: KubeObject } }).template.spec;
  for (const field of ['containers', 'initContainers']) {
    for (const container of (pod[field] as { image: string }[] | undefined) ?? []) {
      if (container.image.replace(/[:@].*$/, '') !== image.name) continue;
      container.image = `${image.newName ?? image.name}${image.newTag === undefined ? '' : `:${image.newTag}`}`;
    }
  }
}

function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The directory of this repository's Kubernetes manifests. */
export const K8S_ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../../../../infra/k8s');
