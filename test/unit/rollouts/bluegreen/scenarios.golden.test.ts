import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { POD_TEMPLATE_HASH_LABEL } from '../../../../src/rollouts/index.js';
import { readGolden } from '../../../support/golden.js';
import { BlueGreenWorld } from './world.js';

interface Expect {
  readonly phase?: string;
  readonly message?: string;
  readonly stableRS?: string;
  readonly activeSelector?: string;
  readonly previewSelector?: string;
  readonly scaleUpPreviewCheckPoint?: boolean | null;
  readonly pauses?: string[];
  readonly controllerPause?: boolean | null;
  readonly abort?: boolean | null;
  readonly promoteFull?: boolean | null;
  readonly preRun?: { name: string; status: string };
  readonly postRun?: { name: string; status: string };
  readonly services?: Record<string, string>;
  readonly replicas?: Record<string, number>;
  readonly deadlines?: Record<string, string>;
  readonly runs?: string[];
  readonly events?: string[];
  readonly requeueMs?: number;
}
interface Step {
  readonly do?: {
    readonly image?: string;
    readonly status?: Record<string, unknown>;
    readonly run?: { kind: 'PrePromotion' | 'PostPromotion'; phase: string; message?: string };
  };
  readonly advanceMs?: number;
  readonly expect?: Expect;
}
interface Scenario {
  readonly name: string;
  readonly spec: { replicas: number; blueGreen: Record<string, unknown> };
  readonly steps: Step[];
}

const golden = readGolden<{ scenarios: Scenario[] }>('rollouts/bluegreen/scenarios.json');
const orNull = <T>(v: T | undefined) => (v === undefined ? null : v);

function check(w: BlueGreenWorld, e: Expect, at: string): void {
  const s = w.status;
  const eq = (actual: unknown, expected: unknown, what: string) =>
    assert.deepEqual(actual, expected, `${at}: ${what}`);
  if (e.phase !== undefined) eq(s.phase, e.phase, 'phase');
  if (e.message !== undefined) eq(s.message, e.message, 'message');
  if (e.stableRS !== undefined) eq(s.stableRS, e.stableRS, 'stableRS');
  if (e.activeSelector !== undefined)
    eq(s.blueGreen?.activeSelector ?? '', e.activeSelector, 'activeSelector');
  if (e.previewSelector !== undefined)
    eq(s.blueGreen?.previewSelector ?? '', e.previewSelector, 'previewSelector');
  if (e.scaleUpPreviewCheckPoint !== undefined)
    eq(orNull(s.blueGreen?.scaleUpPreviewCheckPoint), e.scaleUpPreviewCheckPoint, 'scaleUpPreviewCheckPoint');
  if (e.pauses !== undefined)
    eq(
      (s.pauseConditions ?? []).map((p) => p.reason),
      e.pauses,
      'pauses',
    );
  if (e.controllerPause !== undefined) eq(orNull(s.controllerPause), e.controllerPause, 'controllerPause');
  if (e.abort !== undefined) eq(orNull(s.abort), e.abort, 'abort');
  if (e.promoteFull !== undefined) eq(orNull(s.promoteFull), e.promoteFull, 'promoteFull');
  if (e.preRun !== undefined) eq(s.blueGreen?.prePromotionAnalysisRunStatus, e.preRun, 'pre run');
  if (e.postRun !== undefined) eq(s.blueGreen?.postPromotionAnalysisRunStatus, e.postRun, 'post run');
  for (const [name, hash] of Object.entries(e.services ?? {})) eq(w.selector(name), hash, `service ${name}`);
  for (const [hash, n] of Object.entries(e.replicas ?? {}))
    eq(w.rs(hash)?.spec?.replicas, n, `replicas ${hash}`);
  if (e.deadlines !== undefined) {
    const deadlines = Object.fromEntries(
      w.replicaSets
        .filter((rs) => rs.metadata.annotations?.['scale-down-deadline'] !== undefined)
        .map((rs) => [
          rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL],
          rs.metadata.annotations?.['scale-down-deadline'],
        ]),
    );
    eq(deadlines, e.deadlines, 'scale-down deadlines');
  }
  if (e.runs !== undefined)
    eq(
      w.runs.map((r) => r.metadata.name),
      e.runs,
      'analysis runs',
    );
  if (e.events !== undefined) eq(w.lastEvents, e.events, 'events');
  if (e.requeueMs !== undefined) eq(w.lastRequeueMs, e.requeueMs, 'requeue');
}

describe('blue-green decisions (golden scenarios)', () => {
  for (const scenario of golden.scenarios) {
    it(scenario.name, () => {
      const w = new BlueGreenWorld(scenario.spec);
      scenario.steps.forEach((step, i) => {
        if (step.do?.image !== undefined) w.setImage(step.do.image);
        if (step.do?.status !== undefined) w.patchStatus(step.do.status);
        if (step.do?.run !== undefined) {
          const run = w.run(step.do.run.kind);
          assert.ok(run, `step ${i}: no ${step.do.run.kind} run`);
          w.setRunPhase(run, step.do.run.phase, step.do.run.message);
        }
        w.step(step.advanceMs ?? 1000);
        if (step.expect !== undefined) check(w, step.expect, `step ${i}`);
      });
    });
  }
});
