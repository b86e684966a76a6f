import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  type ApplicationSetApplicationStatus,
  type ApplicationSetStrategy,
  planRollingSync,
  scaledMaxUpdate,
} from '../../../src/applicationsets/index.js';
import type { Application } from '../../../src/sync/index.js';

/** An Application in a few words: its labels, spec "version", what the sync loop last wrote. */
interface AppCase {
  readonly name: string;
  readonly labels?: Record<string, string>;
  /** The spec's source path (a "version"); default v1. */
  readonly spec?: string;
  /** The source path the last comparison used; default the spec's. */
  readonly comparedTo?: string;
  readonly sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  readonly revision?: string;
  readonly health?: string;
  readonly healthMessage?: string;
  /** An operation is requested (not yet finished). */
  readonly operation?: boolean;
  readonly op?: { readonly phase: string; readonly startedAt: string; readonly message?: string };
  readonly conditions?: readonly string[];
}

interface Case {
  readonly name: string;
  readonly strategy: ApplicationSetStrategy;
  readonly now: string;
  readonly previous?: readonly ApplicationSetApplicationStatus[];
  readonly apps: readonly AppCase[];
  /** Generated Applications: name → spec version (default: each app as it is). */
  readonly desired?: Readonly<Record<string, string>>;
  readonly expect: {
    /** `name: status step "message"` lines, or objects when the time or revisions matter. */
    readonly statuses?: readonly string[];
    readonly applicationStatus?: readonly ApplicationSetApplicationStatus[];
    readonly toSync: readonly string[];
    /** `Type Status Reason: message` lines. */
    readonly conditions?: readonly string[];
    readonly stopped?: string;
  };
}

const source = (path: string) => ({ repoURL: 'https://git.example/fleet.git', path, targetRevision: 'main' });
const destination = { server: 'https://kubernetes.default.svc', namespace: 'web' };

function application(c: AppCase): Application {
  const spec = { project: 'default', source: source(c.spec ?? 'v1'), destination };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: c.name, namespace: 'argocd', labels: c.labels ?? {} },
    spec,
    ...(c.operation && { operation: { sync: {} } }),
    status: {
      ...(c.sync && {
        sync: {
          status: c.sync,
          ...(c.revision && { revision: c.revision }),
          comparedTo: { source: source(c.comparedTo ?? c.spec ?? 'v1'), destination },
        },
      }),
      ...(c.health && {
        health: { status: c.health, ...(c.healthMessage && { message: c.healthMessage }) },
      }),
      ...(c.op && {
        operationState: {
          operation: { sync: {} },
          phase: c.op.phase,
          startedAt: c.op.startedAt,
          ...(c.op.message && { message: c.op.message }),
        },
      }),
      ...(c.conditions && { conditions: c.conditions.map((type) => ({ type, message: type })) }),
    },
  } as Application;
}

const cases = parse(
  readFileSync(new URL('../../golden/applicationsets/rolling-sync.yaml', import.meta.url), 'utf8'),
) as Case[];

describe('applicationsets: RollingSync step planner (golden)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const apps = c.apps.map(application);
      const desired = c.apps.map((a) => ({
        name: a.name,
        labels: a.labels ?? {},
        spec: {
          project: 'default',
          source: source(c.desired?.[a.name] ?? a.spec ?? 'v1'),
          destination,
        },
      }));
      const plan = planRollingSync({
        strategy: c.strategy,
        previous: c.previous ?? [],
        apps,
        desired,
        now: c.now,
      });
      if (c.expect.statuses !== undefined)
        assert.deepEqual(
          plan.applicationStatus.map((s) => `${s.application}: ${s.status} ${s.step} "${s.message}"`),
          c.expect.statuses,
        );
      if (c.expect.applicationStatus !== undefined)
        assert.deepEqual(plan.applicationStatus, c.expect.applicationStatus);
      assert.deepEqual(plan.toSync, c.expect.toSync);
      if (c.expect.conditions !== undefined)
        assert.deepEqual(
          plan.conditions.map((x) => `${x.type} ${x.status} ${x.reason}: ${x.message}`),
          c.expect.conditions,
        );
      assert.equal(
        plan.stopped && `${plan.stopped.application} ${plan.stopped.step}: ${plan.stopped.message}`,
        c.expect.stopped,
      );
    });
  }
});

describe('applicationsets: maxUpdate as Argo scales it', () => {
  it('ints as given, percents rounded down but at least 1 above 0 %, anything else invalid', () => {
    assert.equal(scaledMaxUpdate(0, 10), 0);
    assert.equal(scaledMaxUpdate(2, 10), 2);
    assert.equal(scaledMaxUpdate('0%', 10), 0);
    assert.equal(scaledMaxUpdate('10%', 5), 1);
    assert.equal(scaledMaxUpdate('50%', 5), 2);
    assert.equal(scaledMaxUpdate('100%', 3), 3);
    assert.equal(scaledMaxUpdate('50', 3), undefined);
    assert.equal(scaledMaxUpdate('abc', 3), undefined);
  });
});
