import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  appsInTree,
  autoscalingProblems,
  containerProblems,
  deployments,
  disruptionProblems,
  entryProblems,
  environmentProblems,
  K8S_ROOT,
  librarySource,
  metricProblems,
  poolProblems,
  probeProblems,
  readAppSource,
  renderKustomization,
  shutdownProblems,
  type AdapterConfig,
  type AppManifests,
  type KubeResource,
} from '@remedy/testing';

// livestream:I1 (and the same for every app): the Kubernetes manifests under infra/k8s, rendered as
// `kubectl apply -k` would, checked against what the apps' code says. docs/deploy.md explains the choices.

const OVERLAYS = ['event-registration', 'medical-vitals', 'live-streaming', 'translation', 'documents'];

function loadAdapterConfig(): AdapterConfig {
  const [configMap] = renderKustomization(join(K8S_ROOT, 'prometheus-adapter')) as [KubeResource];
  return parse((configMap.data as Record<string, string>)['config.yaml'] ?? '') as AdapterConfig;
}

const adapter = loadAdapterConfig();
const libraries = librarySource();

function manifestsOf(app: string, edit?: (resources: KubeResource[]) => void): AppManifests {
  const resources = renderKustomization(join(K8S_ROOT, app));
  edit?.(resources);
  return { app, resources, adapter, source: readAppSource(app), librarySource: libraries };
}

const CHECKS: [string, (manifests: AppManifests) => string[]][] = [
  [
    'its entries (api; worker once src/worker.ts exists) on the app image, in a namespace that enforces the restricted profile',
    entryProblems,
  ],
  ['non-root, read-only root, no capabilities, requests and limits on every container', containerProblems],
  ['probes on /health of the port the app listens on, where the entry serves HTTP', probeProblems],
  ['a termination grace longer than preStop + the app shutdown deadline', shutdownProblems],
  ['an autoscaler on every API: ≥ 2 pods, CPU and an app metric', autoscalingProblems],
  ['autoscaler metrics made by adapter rules from series the app exports', metricProblems],
  ['one PodDisruptionBudget per Deployment that lets drains proceed', disruptionProblems],
  ['env names the app config reads; credentials only from Secrets', environmentProblems],
  ['a pool formula that counts every process at peak', poolProblems],
];

describe('infra/k8s manifests', () => {
  it('has an overlay for every app in the tree', () => {
    expect(appsInTree().filter((app) => !OVERLAYS.includes(app))).toEqual([]);
  });

  describe.each(OVERLAYS)('%s', (app) => {
    const manifests = manifestsOf(app);

    it.each(CHECKS)('%s', (_title, check) => {
      expect(check(manifests)).toEqual([]);
    });

    // Shows in the report whether the checks above read the app's code or only its manifests.
    const scope =
      manifests.source === undefined ? 'manifests only: the app is not in this tree yet' : `and apps/${app}`;
    it(`renders (checked: ${scope})`, () => {
      expect(manifests.resources.length).toBeGreaterThan(0);
    });
  });

  describe('each check catches the manifests broken on purpose', () => {
    const deployment = (resources: KubeResource[], name: string) => {
      const found = deployments(resources).find((candidate) => candidate.metadata.name === name);
      if (found === undefined) throw new Error(`no Deployment ${name}`);
      return found;
    };
    const appContainer = (resources: KubeResource[], name: string) => {
      const found = deployment(resources, name).spec.template.spec.containers.find((c) => c.name === 'app');
      if (found === undefined) throw new Error(`no container "app" in ${name}`);
      return found;
    };
    const resource = (resources: KubeResource[], kind: string, name: string) => {
      const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
      if (found === undefined) throw new Error(`no ${kind} ${name}`);
      return found;
    };
    const autoscaler = (resources: KubeResource[], name: string) =>
      resource(resources, 'HorizontalPodAutoscaler', name) as KubeResource & {
        spec: { minReplicas: number; maxReplicas: number; metrics: unknown[] };
      };
    const without = (resources: KubeResource[], kind: string, name: string) => {
      const index = resources.findIndex((r) => r.kind === kind && r.metadata.name === name);
      if (index < 0) throw new Error(`no ${kind} ${name}`);
      resources.splice(index, 1);
    };
    const setEnv = (resources: KubeResource[], name: string, variable: string, value: string) => {
      const container = appContainer(resources, name);
      container.env = [
        ...(container.env ?? []).filter((v) => v.name !== variable),
        { name: variable, value },
      ];
    };

    const BROKEN: [
      string,
      string,
      (manifests: AppManifests) => string[],
      (resources: KubeResource[]) => void,
      RegExp,
    ][] = [
      [
        'no readiness probe',
        'event-registration',
        probeProblems,
        (r) => delete appContainer(r, 'event-registration-api').readinessProbe,
        /no readinessProbe/,
      ],
      [
        'liveness probe on another port',
        'medical-vitals',
        probeProblems,
        (r) => {
          appContainer(r, 'medical-vitals-api').livenessProbe = {
            httpGet: { path: '/health/live', port: 3000 },
          };
        },
        /livenessProbe on port 3000, the app listens on 3001/,
      ],
      [
        'readiness probe on /metrics',
        'medical-vitals',
        probeProblems,
        (r) => {
          appContainer(r, 'medical-vitals-api').readinessProbe = {
            httpGet: { path: '/metrics', port: 'http' },
          };
        },
        /readinessProbe on \/metrics/,
      ],
      [
        'no autoscaler on the API',
        'medical-vitals',
        autoscalingProblems,
        (r) => without(r, 'HorizontalPodAutoscaler', 'medical-vitals-api'),
        /medical-vitals-api: no autoscaler/,
      ],
      [
        'one pod at the least',
        'event-registration',
        autoscalingProblems,
        (r) => {
          autoscaler(r, 'event-registration-api').spec.minReplicas = 1;
        },
        /minReplicas 1 < 2/,
      ],
      [
        'CPU only',
        'event-registration',
        autoscalingProblems,
        (r) => {
          autoscaler(r, 'event-registration-api').spec.metrics.splice(1);
        },
        /no app metric/,
      ],
      [
        'a metric the app does not export',
        'event-registration',
        metricProblems,
        (r) => {
          autoscaler(r, 'event-registration-api').spec.metrics[1] = {
            type: 'Pods',
            pods: { metric: { name: 'websocket_connections' } },
          };
        },
        /does not export websocket_connections/,
      ],
      [
        'a gateway the app does not have',
        'medical-vitals',
        metricProblems,
        (r) => {
          autoscaler(r, 'medical-vitals-api').spec.metrics[1] = {
            type: 'Pods',
            pods: {
              metric: { name: 'websocket_connections', selector: { matchLabels: { gateway: 'viewers' } } },
            },
          };
        },
        /gateway="viewers" occurs nowhere/,
      ],
      [
        'a metric no adapter rule makes',
        'medical-vitals',
        metricProblems,
        (r) => {
          autoscaler(r, 'medical-vitals-api').spec.metrics[1] = {
            type: 'Pods',
            pods: { metric: { name: 'vitals_readings_received_total' } },
          };
        },
        /no rule of the Prometheus adapter/,
      ],
      [
        'no PodDisruptionBudget for the worker',
        'event-registration',
        disruptionProblems,
        (r) => without(r, 'PodDisruptionBudget', 'event-registration-worker'),
        /covered by 0 PodDisruptionBudgets/,
      ],
      [
        'a budget that blocks every eviction',
        'medical-vitals',
        disruptionProblems,
        (r) => {
          resource(r, 'PodDisruptionBudget', 'medical-vitals-api').spec = {
            maxUnavailable: 0,
            selector: {
              matchLabels: {
                'app.kubernetes.io/name': 'medical-vitals',
                'app.kubernetes.io/component': 'api',
              },
            },
          };
        },
        /lets no pod of medical-vitals-api be evicted/,
      ],
      [
        'a credential written into the manifest',
        'event-registration',
        environmentProblems,
        (r) => setEnv(r, 'event-registration-worker', 'JWT_ACCESS_SECRET', 'x'.repeat(40)),
        /JWT_ACCESS_SECRET is a credential/,
      ],
      [
        'a misspelt variable',
        'medical-vitals',
        environmentProblems,
        (r) => setEnv(r, 'medical-vitals-worker', 'DB_INSTANCE', '8'),
        /DB_INSTANCE is not read by apps\/medical-vitals/,
      ],
      [
        'running as root',
        'event-registration',
        containerProblems,
        (r) => delete deployment(r, 'event-registration-api').spec.template.spec.securityContext,
        /runAsNonRoot is not true/,
      ],
      [
        'no memory limit',
        'medical-vitals',
        containerProblems,
        (r) => delete appContainer(r, 'medical-vitals-worker').resources?.limits?.memory,
        /no memory limit/,
      ],
      [
        'a grace period shorter than the app shutdown',
        'event-registration',
        shutdownProblems,
        (r) => {
          deployment(r, 'event-registration-api').spec.template.spec.terminationGracePeriodSeconds = 10;
        },
        /terminationGracePeriodSeconds 10/,
      ],
      [
        'an autoscaler maximum the pool formula does not count',
        'event-registration',
        poolProblems,
        (r) => {
          autoscaler(r, 'event-registration-api').spec.maxReplicas = 20;
        },
        /counts 14 instances, but up to 24/,
      ],
      [
        'no liveness probe',
        'live-streaming',
        probeProblems,
        (r) => delete appContainer(r, 'live-streaming-api').livenessProbe,
        /live-streaming-api: no livenessProbe/,
      ],
      [
        'no autoscaler on the API',
        'live-streaming',
        autoscalingProblems,
        (r) => without(r, 'HorizontalPodAutoscaler', 'live-streaming-api'),
        /live-streaming-api: no autoscaler/,
      ],
      [
        'a scale-down on the first dip',
        'live-streaming',
        autoscalingProblems,
        (r) => {
          delete (autoscaler(r, 'live-streaming-api').spec as { behavior?: unknown }).behavior;
        },
        /scale-down stabilization unset s < 60 s/,
      ],
      [
        'no PodDisruptionBudget for the API',
        'live-streaming',
        disruptionProblems,
        (r) => without(r, 'PodDisruptionBudget', 'live-streaming-api'),
        /live-streaming-api: covered by 0 PodDisruptionBudgets/,
      ],
      [
        'the transcode worker scaled past the pool count',
        'live-streaming',
        poolProblems,
        (r) => {
          autoscaler(r, 'live-streaming-worker').spec.maxReplicas = 12;
        },
        /counts 19 instances, but up to 23/,
      ],
      [
        'the worker on another image',
        'medical-vitals',
        entryProblems,
        (r) => {
          appContainer(r, 'medical-vitals-worker').image = 'remedy/event-registration';
        },
        /not remedy\/medical-vitals/,
      ],
    ];

    it.each(BROKEN)('%s (%s)', (_title, app, check, edit, expected) => {
      expect(check(manifestsOf(app))).toEqual([]);
      expect(check(manifestsOf(app, edit)).join('\n')).toMatch(expected);
    });
  });

  // Every app in the tree has a worker entry now, so the case is made by reading live-streaming without one.
  it('catches a worker deployed for an app without src/worker.ts', () => {
    const manifests = manifestsOf('live-streaming');
    const source = manifests.source!;
    const withoutWorker = {
      ...source,
      entry: (path: string) => (path === 'src/worker.ts' ? undefined : source.entry(path)),
    };
    const apiOnly = manifests.resources.filter(
      (resource) => !resource.metadata.name.startsWith('live-streaming-worker'),
    );
    expect(entryProblems({ ...manifests, source: withoutWorker, resources: apiOnly })).toEqual([]);
    expect(entryProblems({ ...manifests, source: withoutWorker }).join('\n')).toMatch(
      /live-streaming-worker runs src\/worker.ts, which apps\/live-streaming does not have/,
    );
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const withKubectl = kubectl.status === 0 ? it : it.skip;

  withKubectl.each([...OVERLAYS, 'prometheus-adapter'])(
    'renders %s as `kubectl kustomize` does',
    (overlay) => {
      const directory = join(K8S_ROOT, overlay);
      const rendered = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
      expect(rendered.stderr).toBe('');
      const byIdentity = (resources: KubeResource[]) =>
        Object.fromEntries(
          resources.map((resource) => [`${resource.kind}/${resource.metadata.name}`, resource]),
        );
      const theirs = parseAllDocuments(rendered.stdout).map((document) => document.toJSON() as KubeResource);
      expect(byIdentity(renderKustomization(directory))).toEqual(byIdentity(theirs));
    },
  );
});
