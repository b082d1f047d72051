import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineFinding, type Measurement } from '@remedy/testing';
import YAML from 'yaml';
import { hpaManifestProblems, type K8sObject } from './support/hpa-manifest-check.js';

/** Where the app's manifests live: its own folder under infra/k8s, or its kustomize overlay. */
const MANIFEST_DIRS = ['infra/k8s/live-streaming', 'infra/k8s/overlays/live-streaming'];
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every Kubernetes object in the app's manifest folder (kustomization files carry no `kind` we check). */
function loadManifests(): { dir: string; objects: K8sObject[] } {
  const dir = MANIFEST_DIRS.map((candidate) => join(repoRoot, candidate)).find((path) => existsSync(path));
  if (dir === undefined) {
    throw new Error(
      `no Kubernetes manifests for live-streaming in ${MANIFEST_DIRS.join(' or ')}: they come from main (infra/k8s)`,
    );
  }
  const objects = yamlFiles(dir).flatMap((file) =>
    YAML.parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJSON() as K8sObject | null)
      .filter((object): object is K8sObject => object !== null && typeof object === 'object'),
  );
  return { dir, objects };
}

type Run = 'remediated' | 'single replica' | 'no CPU requests';

function breakManifests(run: Run, objects: K8sObject[]): K8sObject[] {
  const copy = structuredClone(objects);
  for (const object of copy) {
    if (run === 'single replica' && object.kind === 'HorizontalPodAutoscaler' && object.spec) {
      object.spec['minReplicas'] = 1;
    }
    if (run === 'no CPU requests' && object.kind === 'Deployment') {
      const template = object.spec?.['template'] as { spec?: { containers?: { resources?: unknown }[] } };
      for (const container of template.spec?.containers ?? []) delete container.resources;
    }
  }
  return copy;
}

export default defineFinding({
  id: 'livestream:I1',
  title: 'Autoscaling policy left vague',
  kind: 'design',
  why:
    'Autoscaling happens in a Kubernetes cluster, which this machine does not run. The policy is a manifest, so the ' +
    "proof checks the app's HorizontalPodAutoscaler and the Deployment it scales as written under infra/k8s.",
  explanation:
    "The design says the API 'scales automatically' and nothing more. The manifest makes it a policy: autoscaling/v2, " +
    'at least two pods, room to grow, a CPU utilization target (which needs CPU requests on the container), a ' +
    'scale-down stabilization window so chat sockets are not drained on every dip, and DB_POOL_INSTANCES no smaller ' +
    "than maxReplicas so the pool formula's connection budget holds at full scale (livestream:C4).",
  fix: ['../../infra/k8s', 'findings/support/hpa-manifest-check.ts'],
  seam: 'the manifests under infra/k8s, parsed; each put-back breaks one field of the parsed objects',
  flawsPutBack: {
    'single replica': 'the HPA with minReplicas 1',
    'no CPU requests': "the Deployment's containers without resource requests",
  },
  metric: { name: 'autoscaling policy problems in the manifests', unit: 'problems', better: 'lower' },
  measure(run): Promise<Measurement> {
    if (run === 'flawed') return Promise.reject(new Error('a design finding has no flawed run'));
    const { dir, objects } = loadManifests();
    const problems = hpaManifestProblems(breakManifests(run, objects));
    return Promise.resolve({
      value: problems.length,
      details: {
        manifests: dir.slice(repoRoot.length),
        objects: objects.length,
        ...(problems.length > 0 ? { problems: problems.join('; ') } : {}),
      },
    });
  },
  remediated: (problems) => problems === 0,
  timeoutMs: 10_000,
});
