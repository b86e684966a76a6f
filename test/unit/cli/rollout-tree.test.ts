import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type RolloutSnapshot, renderRollout } from '../../../src/cli/rollout-view/index.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const rs = (hash: string, rev: number, replicas: number, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `web-${hash}`,
    uid: `uid-${hash}`,
    creationTimestamp: '2026-01-01T00:05:00Z',
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/revision': String(rev) },
    ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'uid-web' }],
  },
  spec: { replicas, template: { spec: { containers: [{ image }] } } },
  status: { replicas, availableReplicas: replicas, readyReplicas: replicas },
});

const snapshot: RolloutSnapshot = {
  now,
  rollout: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'prod', uid: 'uid-web', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      replicas: 5,
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }] } },
    },
    status: {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      stableRS: 'aaa',
      currentPodHash: 'bbb',
      replicas: 6,
      updatedReplicas: 1,
      readyReplicas: 6,
      availableReplicas: 6,
    },
  },
  replicaSets: [rs('aaa', 1, 5, 'web:1'), rs('bbb', 2, 1, 'web:2')],
  pods: [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-bbb-x1',
        creationTimestamp: '2026-01-01T00:09:30Z',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-bbb', uid: 'uid-bbb' }],
      },
      spec: { containers: [{}] },
      status: { phase: 'Running', containerStatuses: [{ ready: true, state: { running: {} } }] },
    },
  ],
  analysisRuns: [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: 'web-bbb-2',
        labels: { 'rollouts-pod-template-hash': 'bbb' },
        annotations: { 'rollout.argoproj.io/revision': '2' },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'uid-web' },
        ],
        creationTimestamp: '2026-01-01T00:09:40Z',
      },
      status: { phase: 'Running', metricResults: [{ successful: 3 }] },
    },
  ],
};

it('renders the plugin-style summary and tree', () => {
  const text = renderRollout(snapshot, { color: false });
  const lines = text.split('\n');
  assert.ok(lines.includes('Status:          ॥ Paused'));
  assert.ok(lines.includes('  Step:          1/3'));
  assert.ok(lines.includes('  SetWeight:     20'));
  assert.ok(text.includes('web:1 (stable)') && text.includes('web:2 (canary)'));
  const tree = lines.slice(lines.findIndex((l) => l.startsWith('NAME')));
  assert.match(tree[1]!, /^⟳ web\s+Rollout\s+॥ Paused\s+10m$/);
  assert.equal(tree[2], '├──# revision:2');
  assert.match(tree[3]!, /^│ {2}├──⧉ web-bbb\s+ReplicaSet\s+✔ Healthy\s+5m\s+canary$/);
  assert.match(tree[4]!, /^│ {2}│ {2}└──□ web-bbb-x1\s+Pod\s+✔ Running\s+30s\s+ready:1\/1$/);
  assert.match(tree[5]!, /^│ {2}└──α web-bbb-2\s+AnalysisRun\s+◌ Running\s+20s\s+✔ 3$/);
  assert.equal(tree[6], '└──# revision:1');
  assert.match(tree[7]!, /^ {3}└──⧉ web-aaa\s+ReplicaSet\s+✔ Healthy\s+5m\s+stable$/);
  assert.doesNotMatch(text, /\u001b\[/, 'no escape codes when not colouring');
});

it('colours statuses on a terminal and keeps columns aligned', () => {
  const text = renderRollout(snapshot, { color: true });
  // as the plugin: icons and tags in colour (Paused's icon stays plain), the words plain
  assert.match(text, /Status: {10}॥ Paused\n/);
  assert.match(text, /\u001b\[32m✔\u001b\[0m Healthy/);
  assert.match(text, /web:2 \(\u001b\[33mcanary\u001b\[0m\)/);
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  assert.equal(plain, renderRollout(snapshot, { color: false }));
});

it('shows a blue-green Rollout as the plugin does: no step lines, active and preview tags', () => {
  const bg: RolloutSnapshot = {
    ...snapshot,
    analysisRuns: [],
    pods: [],
    rollout: {
      ...snapshot.rollout,
      spec: {
        replicas: 5,
        strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview' } },
      },
      status: {
        phase: 'Paused',
        message: 'BlueGreenPause',
        stableRS: 'aaa',
        currentPodHash: 'bbb',
        blueGreen: { activeSelector: 'aaa', previewSelector: 'bbb' },
        replicas: 6,
        updatedReplicas: 1,
        readyReplicas: 6,
        availableReplicas: 6,
      },
    },
  };
  const lines = renderRollout(bg, { color: false }).split('\n');
  assert.ok(lines.includes('Strategy:        BlueGreen'));
  assert.ok(!lines.some((l) => l.startsWith('  Step:') || l.startsWith('  SetWeight:')));
  assert.ok(lines.includes('Images:          web:1 (stable, active)'));
  assert.ok(lines.includes('                 web:2 (preview)'));
  assert.ok(lines.some((l) => /⧉ web-aaa\s+ReplicaSet\s+✔ Healthy\s+5m\s+stable,active$/.test(l)));
  assert.ok(lines.some((l) => /⧉ web-bbb\s+ReplicaSet\s+✔ Healthy\s+5m\s+preview$/.test(l)));
});

it('shows a step experiment under its revision, with its ReplicaSet and the Σ:template image tag', () => {
  const expRs = {
    ...rs('ccc', 2, 1, 'web:2'),
    metadata: {
      name: 'web-exp-canary',
      uid: 'uid-exp-rs',
      creationTimestamp: '2026-01-01T00:09:00Z',
      annotations: { 'rollout.argoproj.io/revision': '2', 'experiment.argoproj.io/template-name': 'canary' },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: 'web-exp', uid: 'uid-exp' },
      ],
    },
  };
  const withExperiment: RolloutSnapshot = {
    ...snapshot,
    analysisRuns: [],
    pods: [],
    replicaSets: [...snapshot.replicaSets, expRs],
    experiments: [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Experiment',
        metadata: {
          name: 'web-exp',
          uid: 'uid-exp',
          creationTimestamp: '2026-01-01T00:09:00Z',
          annotations: { 'rollout.argoproj.io/revision': '2' },
          ownerReferences: [
            { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'uid-web' },
          ],
        },
        status: { phase: 'Running' },
      },
    ],
  };
  const lines = renderRollout(withExperiment, { color: false }).split('\n');
  assert.ok(lines.includes('                 web:2 (canary, Σ:canary)'), lines.join('\n'));
  const tree = lines.slice(lines.findIndex((l) => l.startsWith('NAME')));
  assert.equal(tree[2], '├──# revision:2');
  assert.match(tree[3]!, /^│ {2}├──⧉ web-bbb\s+ReplicaSet\s+✔ Healthy\s+5m\s+canary$/);
  assert.match(tree[4]!, /^│ {2}└──Σ web-exp\s+Experiment\s+◌ Running\s+60s$/);
  assert.match(tree[5]!, /^│ {5}└──⧉ web-exp-canary\s+ReplicaSet\s+✔ Healthy\s+60s$/);
  assert.equal(tree[6], '└──# revision:1');
});
