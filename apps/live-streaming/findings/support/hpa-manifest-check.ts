/**
 * livestream:I1's check of the Kubernetes objects that run the API: the HorizontalPodAutoscaler and the Deployment
 * it scales, as parsed YAML documents (rendered by kustomize, or read from plain files). Each problem is one
 * sentence a reviewer can act on.
 */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface HpaSpec {
  scaleTargetRef?: { kind?: string; name?: string };
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: { type?: string; resource?: { name?: string; target?: { averageUtilization?: number } } }[];
  behavior?: { scaleDown?: { stabilizationWindowSeconds?: number } };
}

interface Container {
  name?: string;
  env?: { name?: string; value?: string }[];
  ports?: { containerPort?: number }[];
  resources?: { requests?: { cpu?: string | number } };
}

/** The longest a scale-down may follow a dip, in seconds: chat sockets must drain, and load comes back in waves. */
const MIN_SCALE_DOWN_WINDOW_SECONDS = 60;

export function hpaManifestProblems(objects: readonly K8sObject[], appName = 'live-streaming'): string[] {
  const hpas = objects.filter(
    (object) =>
      object.kind === 'HorizontalPodAutoscaler' &&
      ((object.spec as HpaSpec | undefined)?.scaleTargetRef?.name ?? '').includes(appName),
  );
  if (hpas.length !== 1)
    return [`expected one HorizontalPodAutoscaler scaling ${appName}, found ${hpas.length}`];
  const hpa = hpas[0]!;
  const spec = (hpa.spec ?? {}) as HpaSpec;
  const problems: string[] = [];
  if (hpa.apiVersion !== 'autoscaling/v2')
    problems.push(`the HPA uses ${hpa.apiVersion}, not autoscaling/v2`);
  const min = spec.minReplicas ?? 1;
  const max = spec.maxReplicas ?? 0;
  if (min < 2) problems.push(`minReplicas is ${min}: one pod is a single point of failure`);
  if (max <= min) problems.push(`maxReplicas (${max}) leaves no room above minReplicas (${min})`);
  const cpu = (spec.metrics ?? []).find(
    (metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu',
  );
  const utilization = cpu?.resource?.target?.averageUtilization;
  if (utilization === undefined || utilization < 40 || utilization > 90) {
    problems.push(`no CPU target between 40 % and 90 % average utilization (found ${utilization ?? 'none'})`);
  }
  const window = spec.behavior?.scaleDown?.stabilizationWindowSeconds;
  if (window === undefined || window < MIN_SCALE_DOWN_WINDOW_SECONDS) {
    problems.push(
      `scale-down stabilization window ${window ?? 'unset'}: at least ${MIN_SCALE_DOWN_WINDOW_SECONDS} s`,
    );
  }
  const targetName = spec.scaleTargetRef?.name;
  const deployment = objects.find(
    (object) => object.kind === 'Deployment' && object.metadata?.name === targetName,
  );
  if (deployment === undefined)
    return [...problems, `the HPA's target Deployment ${targetName ?? '?'} is missing`];
  const template = deployment.spec?.['template'] as { spec?: { containers?: Container[] } } | undefined;
  for (const container of template?.spec?.containers ?? []) {
    const label = `container ${container.name ?? '?'}`;
    if (container.resources?.requests?.cpu === undefined) {
      problems.push(`${label} requests no CPU: an HPA on CPU utilization has nothing to divide by`);
    }
    const env = new Map((container.env ?? []).map((variable) => [variable.name, variable.value]));
    const instances = Number(env.get('DB_POOL_INSTANCES') ?? Number.NaN);
    if (!env.has('DB_POOL_MAX') && !(instances >= max)) {
      problems.push(
        `${label}: DB_POOL_INSTANCES (${env.get('DB_POOL_INSTANCES') ?? 'unset'}) below maxReplicas ${max}: ` +
          'at full scale the pools together exceed the server budget (livestream:C4)',
      );
    }
    const port = env.get('PORT') ?? String(container.ports?.[0]?.containerPort ?? '');
    if (port !== '3002')
      problems.push(`${label} serves on port ${port || 'unset'}, the app's default is 3002`);
  }
  return problems;
}
