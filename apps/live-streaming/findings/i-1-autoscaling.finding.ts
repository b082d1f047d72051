import { join } from 'node:path';
import {
  autoscalingProblems,
  defineFinding,
  disruptionProblems,
  K8S_ROOT,
  librarySource,
  poolProblems,
  readAppSource,
  renderKustomization,
  type AdapterConfig,
  type AppManifests,
  type KubeResource,
  type Measurement,
} from '@remedy/testing';

const OVERLAY = 'live-streaming';

type Flaw = 'no autoscaler' | 'single replica' | 'no CPU target';

interface Autoscaler extends KubeResource {
  spec: { minReplicas?: number; metrics?: { type: string; resource?: { name: string } }[] };
}

/** Each put-back edits the rendered manifests the way the review's policy ("it scales automatically") left them. */
const BREAK: Record<Flaw, (resources: KubeResource[]) => KubeResource[]> = {
  'no autoscaler': (resources) => resources.filter((resource) => resource.kind !== 'HorizontalPodAutoscaler'),
  'single replica': (resources) =>
    resources.map((resource) =>
      resource.kind === 'HorizontalPodAutoscaler'
        ? { ...resource, spec: { ...(resource as Autoscaler).spec, minReplicas: 1 } }
        : resource,
    ),
  'no CPU target': (resources) =>
    resources.map((resource) => {
      if (resource.kind !== 'HorizontalPodAutoscaler') return resource;
      const spec = (resource as Autoscaler).spec;
      const metrics = (spec.metrics ?? []).filter((metric) => metric.resource?.name !== 'cpu');
      return { ...resource, spec: { ...spec, metrics } };
    }),
};

/** The checks of tools/k8s/manifests.spec.ts that make up the autoscaling policy; none of them reads the adapter. */
const POLICY_CHECKS = [autoscalingProblems, poolProblems, disruptionProblems];
const NO_ADAPTER: AdapterConfig = { rules: [], externalRules: [] };

function measure(run: 'remediated' | Flaw): Measurement {
  const rendered = renderKustomization(join(K8S_ROOT, OVERLAY));
  const resources = run === 'remediated' ? rendered : BREAK[run](structuredClone(rendered));
  const manifests: AppManifests = {
    app: OVERLAY,
    resources,
    adapter: NO_ADAPTER,
    source: readAppSource(OVERLAY),
    librarySource: librarySource(),
  };
  const problems = POLICY_CHECKS.flatMap((check) => check(manifests));
  return {
    value: problems.length,
    details: {
      manifests: `infra/k8s/${OVERLAY}`,
      objects: resources.length,
      ...(problems.length > 0 ? { problems: problems.join('; ') } : {}),
    },
  };
}

export default defineFinding({
  id: 'livestream:I1',
  title: 'Autoscaling policy left vague',
  kind: 'design',
  why:
    'Autoscaling happens in a Kubernetes cluster, which this machine does not run. The policy is a manifest, so the ' +
    'proof renders the kustomize overlay infra/k8s/live-streaming (as `kubectl kustomize` does) and checks its ' +
    'HorizontalPodAutoscaler, the Deployment it scales and its disruption budget.',
  explanation:
    "The design says the API 'scales automatically' and nothing more. The manifest makes it a policy: autoscaling/v2, " +
    'at least two pods, room to grow, a CPU utilization target (the container requests CPU) plus a metric of the ' +
    'app, a scale-down stabilization window so sockets are not dropped on every dip, a disruption budget that lets ' +
    "drains proceed one pod at a time, and DB_POOL_INSTANCES counting the fleet at its largest so the pool formula's " +
    'connection budget holds at full scale (livestream:C4).',
  fix: ['../../infra/k8s/live-streaming', '../../infra/k8s/base/api', '../../libs/testing/src/k8s'],
  seam: 'the rendered overlay infra/k8s/live-streaming; each put-back edits the rendered objects before the checks',
  flawsPutBack: {
    'no autoscaler': 'no HorizontalPodAutoscaler: a fixed count, as the review left it',
    'single replica': 'the HPA with minReplicas 1',
    'no CPU target': 'the HPA without its CPU utilization target',
  },
  metric: { name: 'autoscaling policy problems in the manifests', unit: 'problems', better: 'lower' },
  measure(run): Promise<Measurement> {
    if (run === 'flawed') return Promise.reject(new Error('a design finding has no flawed run'));
    return Promise.resolve(measure(run));
  },
  remediated: (problems) => problems === 0,
  timeoutMs: 10_000,
});
