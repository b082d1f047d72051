import { describe, expect, it } from '@jest/globals';
import YAML from 'yaml';
import { hpaManifestProblems, type K8sObject } from '../findings/support/hpa-manifest-check.js';

// The shape livestream:I1 expects of infra/k8s (merged from main): an autoscaling/v2 HPA and the Deployment it scales.
const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: live-streaming }
spec:
  template:
    spec:
      containers:
        - name: api
          ports: [{ containerPort: 3002 }]
          env:
            - { name: PORT, value: '3002' }
            - { name: DB_POOL_INSTANCES, value: '10' }
          resources: { requests: { cpu: 500m, memory: 256Mi } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: live-streaming }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: live-streaming }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
  behavior:
    scaleDown: { stabilizationWindowSeconds: 300 }
`;

function manifests(edit: (objects: K8sObject[]) => void = () => undefined): K8sObject[] {
  const objects = YAML.parseAllDocuments(MANIFESTS).map((document) => document.toJSON() as K8sObject);
  edit(objects);
  return objects;
}

const hpa = (objects: K8sObject[]): Record<string, unknown> => objects[1]!.spec!;
const container = (objects: K8sObject[]): Record<string, unknown> =>
  (objects[0]!.spec!['template'] as { spec: { containers: Record<string, unknown>[] } }).spec.containers[0]!;

describe('livestream:I1 HPA manifest check', () => {
  it('accepts a policy with two or more pods, a CPU target, CPU requests and a pool budget for full scale', () => {
    expect(hpaManifestProblems(manifests())).toEqual([]);
  });

  it.each<[string, (objects: K8sObject[]) => void, RegExp]>([
    ['a single pod', (o) => (hpa(o)['minReplicas'] = 1), /minReplicas is 1/],
    ['no room to grow', (o) => (hpa(o)['maxReplicas'] = 2), /maxReplicas \(2\)/],
    ['no CPU target', (o) => (hpa(o)['metrics'] = []), /no CPU target/],
    ['no scale-down window', (o) => delete hpa(o)['behavior'], /stabilization window unset/],
    ['no CPU requests', (o) => delete container(o)['resources'], /requests no CPU/],
    [
      'a pool budget for fewer pods than maxReplicas',
      (o) =>
        (container(o)['env'] = [
          { name: 'PORT', value: '3002' },
          { name: 'DB_POOL_INSTANCES', value: '2' },
        ]),
      /DB_POOL_INSTANCES \(2\) below maxReplicas 10/,
    ],
    [
      'another port',
      (o) =>
        (container(o)['env'] = [
          { name: 'DB_POOL_MAX', value: '5' },
          { name: 'PORT', value: '3000' },
        ]),
      /port 3000/,
    ],
  ])('reports %s', (_name, edit, problem) => {
    const problems = hpaManifestProblems(manifests(edit));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('reports a missing HPA', () => {
    expect(hpaManifestProblems(manifests((o) => o.pop()))).toEqual([
      'expected one HorizontalPodAutoscaler scaling live-streaming, found 0',
    ]);
  });
});
