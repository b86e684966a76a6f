import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Experiment,
  parseExperimentDuration,
  resolveExperimentArgs,
} from '../../../src/experiments/index.js';
import type { ReplicaSet } from '../../../src/rollouts/index.js';

describe('experiment duration (Argo DurationString.Duration)', () => {
  it('reads a bare integer as seconds and anything else as a Go duration', () => {
    assert.deepEqual(parseExperimentDuration(90), { ok: true, ms: 90_000 });
    assert.deepEqual(parseExperimentDuration('90'), { ok: true, ms: 90_000 });
    assert.deepEqual(parseExperimentDuration('1m30s'), { ok: true, ms: 90_000 });
    assert.deepEqual(parseExperimentDuration('1d'), {
      ok: false,
      message: 'time: unknown unit "d" in duration "1d"',
    });
  });
});

describe('experiment analysis args (Argo ResolveExperimentArgsValue)', () => {
  const ex: Experiment = {
    metadata: { name: 'exp', namespace: 'ns' },
    spec: { duration: '1h', templates: [{ name: 'canary' }, { name: 'baseline' }] },
    status: { availableAt: '2026-12-06T10:00:00Z' },
  };
  const rs: ReplicaSet = {
    metadata: { name: 'exp-canary', labels: { 'rollouts-pod-template-hash': 'abc123' } },
  };
  const sets = new Map([['canary', rs]]);

  it('substitutes template hashes and names, availableAt and finishedAt', () => {
    const got = resolveExperimentArgs(
      ex,
      [
        { name: 'hash', value: '{{templates.canary.podTemplateHash}}' },
        { name: 'rs', value: 'rs={{ templates.canary.replicaset.name }}' },
        { name: 'window', value: '{{experiment.availableAt}}..{{experiment.finishedAt}}' },
        { name: 'plain', value: 'x' },
      ],
      sets,
    );
    assert.deepEqual(got, {
      ok: true,
      args: [
        { name: 'hash', value: 'abc123' },
        { name: 'rs', value: 'rs=exp-canary' },
        { name: 'window', value: '2026-12-06T10:00:00Z..2026-12-06T11:00:00Z' },
        { name: 'plain', value: 'x' },
      ],
    });
  });

  it('fails on a tag it cannot resolve (a template without a ReplicaSet yet)', () => {
    assert.deepEqual(
      resolveExperimentArgs(ex, [{ name: 'hash', value: '{{templates.baseline.podTemplateHash}}' }], sets),
      { ok: false, message: 'failed to resolve {{templates.baseline.podTemplateHash}}' },
    );
  });

  it('passes a valueFrom on without a value, as upstream (the template must then supply one)', () => {
    assert.deepEqual(
      resolveExperimentArgs(
        ex,
        [{ name: 's', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        sets,
      ),
      { ok: true, args: [{ name: 's' }] },
    );
  });
});
