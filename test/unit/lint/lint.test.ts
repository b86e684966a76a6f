import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLintProblem, lintDocuments, parseLintDocuments } from '../../../src/lint/index.js';

const lint = (yaml: string) => {
  const parsed = parseLintDocuments(yaml, 'in.yaml');
  const { checked, problems } = lintDocuments(parsed.documents);
  return { checked, lines: [...parsed.problems, ...problems].map(formatLintProblem) };
};

const rollout = (name: string, spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ${name}}
spec:
${spec}`;

const canary = `  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}`;

describe('slipway lint: documents', () => {
  it('numbers documents per source, flattens Lists, reports YAML that does not parse', () => {
    const text = `kind: ConfigMap
metadata: {name: a}
---
---
apiVersion: v1
kind: List
items: [{kind: ConfigMap, metadata: {name: b}}]
---
key: [unclosed
---
- a list
`;
    const { documents, problems } = parseLintDocuments(text, 'f.yaml');
    assert.deepEqual(
      documents.map((d) => [d.index, (d.object.metadata as { name: string }).name]),
      [
        [1, 'a'],
        [3, 'b'],
      ],
    );
    assert.deepEqual(
      problems.map((p) => [p.index, p.message.split(':')[0]]),
      [
        [4, 'invalid YAML'],
        [5, 'the document is not an object'],
      ],
    );
  });
});

describe('slipway lint: checks', () => {
  it('a valid canary passes; other kinds are not checked', () => {
    const r =
      lint(`${rollout('ok', `${canary}\n  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}`)}
---
apiVersion: v1
kind: Service
metadata: {name: s}`);
    assert.deepEqual(r, { checked: 1, lines: [] });
  });

  it("Argo's validation messages, each problem on its own line", () => {
    const r = lint(
      rollout(
        'bad',
        `${canary}\n  strategy: {canary: {steps: [{setWeight: 120}, {setWeight: 10, pause: {}}]}}`,
      ),
    );
    assert.deepEqual(r.lines, [
      'in.yaml:1 Rollout/bad: spec.strategy.steps[0].setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100',
      'in.yaml:1 Rollout/bad: spec.strategy.steps[1]: Invalid value: "step.Experiment: false step.Pause: true step.SetWeight: true step.Analysis: false": Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
    ]);
  });

  it('what Slipway cannot run names the field', () => {
    const r = lint(
      rollout(
        'alb',
        `${canary}\n  strategy: {canary: {canaryService: c, stableService: s, trafficRouting: {alb: {ingress: i, servicePort: 80}}, steps: [{setWeight: 10}]}}`,
      ),
    );
    assert.deepEqual(r.lines, [
      'in.yaml:1 Rollout/alb: spec.strategy.canary.trafficRouting.alb: Unsupported value: Slipway does not run the ALB traffic router',
    ]);
  });

  it('workloadRef: a template beside it, an unsupported kind, and the resolved template checked', () => {
    const ref = (kind: string, extra = '') =>
      `  replicas: 1\n  workloadRef: {apiVersion: apps/v1, kind: ${kind}, name: web}\n${extra}  strategy: {canary: {}}`;
    assert.deepEqual(lint(rollout('a', ref('Deployment'))).lines, []);
    assert.deepEqual(lint(rollout('b', ref('StatefulSet'))).lines, [
      'in.yaml:1 Rollout/b: spec.workloadRef: workload of type apps/StatefulSet is not supported',
    ]);
    assert.deepEqual(
      lint(rollout('c', ref('Deployment', '  template: {metadata: {labels: {app: web}}}\n'))).lines,
      [
        'in.yaml:1 Rollout/c: spec.template: Internal error: template must be empty for workload reference rollout',
      ],
    );
    // the Deployment in the same input: its template must match the Rollout's own selector
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}`;
    const mismatch = lint(
      `${deployment}\n---\n${rollout('d', ref('Deployment', '  selector: {matchLabels: {app: other}}\n'))}`,
    );
    assert.equal(mismatch.lines.length, 1);
    assert.match(
      mismatch.lines[0] ?? '',
      /^in\.yaml:2 Rollout\/d: spec\.template\.metadata\.labels: .*does not match/,
    );
  });

  it('analysis templates: Argo metric rules and conditions compiled up front; a Rollout referencing a broken one', () => {
    const template = (name: string, metric: string) => `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: ${name}}
spec:
  metrics:
  - ${metric}`;
    const r = lint(`${template('limits', '{name: m, count: 1, failureLimit: 3, provider: {web: {url: x}}}')}
---
${template('cond', '{name: m, successCondition: "result >", provider: {web: {url: x}}}')}
---
${rollout('uses', `${canary}\n  strategy: {canary: {steps: [{analysis: {templates: [{templateName: cond}]}}]}}`)}`);
    assert.equal(r.lines.length, 3, r.lines.join('\n'));
    assert.equal(
      r.lines[0],
      'in.yaml:1 AnalysisTemplate/limits: metrics[0]: count (1) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if both >= 0',
    );
    assert.match(
      r.lines[1] ?? '',
      /^in\.yaml:2 AnalysisTemplate\/cond: metric "m": could not evaluate successCondition/,
    );
    assert.match(
      r.lines[2] ?? '',
      /^in\.yaml:3 Rollout\/uses: spec\.strategy\.canary\.steps\[0\]\.analysis\.templates: /,
    );
  });

  it('Applications and notification ConfigMaps', () => {
    const r = lint(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: app}
spec: {destination: {namespace: x}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argo-rollouts-notification-configmap}
data:
  service.slack: |
    token: $slack-token
  trigger.on-x: "not a list"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated}
data: {trigger.on-x: "not a list"}`);
    assert.equal(r.checked, 3);
    assert.deepEqual(r.lines, [
      'in.yaml:1 Application/app: spec.source.repoURL is required',
      'in.yaml:2 ConfigMap/argo-rollouts-notification-configmap: trigger.on-x: a trigger must be a yaml list of conditions',
    ]);
  });

  it('a malformed object is a finding, not a crash', () => {
    const r = lint(rollout('odd', '  strategy: {canary: {steps: 7}}\n  selector: {matchLabels: {a: b}}'));
    assert.equal(r.checked, 1);
    assert.equal(r.lines.length, 1);
    assert.match(r.lines[0] ?? '', /^in\.yaml:1 Rollout\/odd: /);
  });
});
