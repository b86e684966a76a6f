import { useEffect, useState } from 'preact/hooks';
import type { RolloutPage as Page } from '../api.js';
import type { BlueGreenView } from '../blue-green-view.js';
import type { ExperimentView } from '../experiment-view.js';
import type { AnalysisRunView, RolloutAction, StepView } from '../rollout-detail.js';
import { postJson } from './api.js';
import { MetricChart } from './chart.js';
import { badge, html } from './html.js';
import {
  actionBar,
  confirmDialog,
  loadingPage,
  pageHeading,
  useConfirmedActions,
  useLiveView,
} from './object-page.js';

const ACTIONS: readonly { action: RolloutAction; label: string; confirm: string }[] = [
  { action: 'promote', label: 'Promote', confirm: 'Promote to the next step?' },
  {
    action: 'promote-full',
    label: 'Promote full',
    confirm: 'Skip every remaining step, pause and analysis, and go to 100%?',
  },
  { action: 'abort', label: 'Abort', confirm: 'Abort and go back to the stable version?' },
  { action: 'retry', label: 'Retry', confirm: 'Retry the aborted update from its first step?' },
  {
    action: 'restart',
    label: 'Restart',
    confirm: 'Restart every pod (evicted one by one, as kubectl argo rollouts restart)?',
  },
  { action: 'undo', label: 'Undo', confirm: 'Roll the template back to the revision chosen below?' },
];

function timeLeft(step: StepView, now: number): string {
  if (step.pauseEndsAt === undefined) return '';
  const s = Math.max(0, Math.ceil((step.pauseEndsAt - now) / 1000));
  return ` (${s}s left)`;
}

/** The time now, ticking every second (countdowns). */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function BlueGreen({ view, replicaSets }: { view: BlueGreenView; replicaSets: Page['info']['replicaSets'] }) {
  const now = useNow();
  const target = (hash: string) => {
    if (hash === '') return '—';
    const rs = replicaSets.find((r) => r.name.endsWith(`-${hash}`));
    return rs === undefined ? hash : `${rs.name} (revision ${rs.revision})`;
  };
  const promotion = !view.autoPromotionEnabled
    ? view.awaitingPromotion
      ? 'off: waiting for Promote'
      : 'off'
    : view.promoteAt !== undefined
      ? `in ${Math.max(0, Math.ceil((view.promoteAt - now) / 1000))}s (after ${view.autoPromotionSeconds}s)`
      : view.autoPromotionSeconds > 0
        ? `${view.autoPromotionSeconds}s after the preview is ready`
        : 'as soon as the preview is ready';
  return html`<dl class="summary bluegreen" data-field="bluegreen">
    <dt>Active Service</dt><dd data-field="active"><span class="mono">${view.activeService}</span> → <span class="mono">${target(view.activeSelector)}</span></dd>
    <dt>Preview Service</dt><dd data-field="preview"><span class="mono">${view.previewService || '—'}</span> → <span class="mono">${target(view.previewSelector)}</span></dd>
    <dt>Auto-promotion</dt><dd data-field="auto-promotion">${promotion}</dd>
    <dt>Scale-down delay</dt><dd>${view.scaleDownDelaySeconds}s</dd>
  </dl>`;
}

function Experiment({ e }: { e: ExperimentView }) {
  return html`<section class="run" data-experiment=${e.name} aria-label=${`Experiment ${e.name}`}>
    <h3>${e.name} ${badge(e.phase)}</h3>
    ${e.message !== '' && html`<p>${e.message}</p>`}
    <table>
      <caption class="visually-hidden">Templates of ${e.name}</caption>
      <thead><tr><th scope="col">Template</th><th scope="col">ReplicaSet</th><th scope="col">Status</th><th scope="col">Available</th></tr></thead>
      <tbody>${e.templates.map(
        (
          t,
        ) => html`<tr key=${t.name} data-template=${t.name}><th scope="row">${t.name}</th><td class="mono">${t.replicaSet || '—'}</td>
          <td>${badge(t.status)}${t.message !== '' ? ` ${t.message}` : ''}</td><td>${t.available}/${t.replicas}</td></tr>`,
      )}</tbody>
    </table>
    ${e.analyses.map(
      (a) => html`<div key=${a.name} data-analysis=${a.name}>
        <h4>Analysis ${a.name} ${badge(a.phase)}</h4>
        ${a.run !== undefined && html`<${AnalysisRun} run=${a.run} />`}
      </div>`,
    )}
  </section>`;
}

function Steps({ steps }: { steps: readonly StepView[] }) {
  const now = useNow();
  if (steps.length === 0) return html`<p>No steps.</p>`;
  return html`<ol class="steps" aria-label="Steps">
    ${steps.map(
      (
        s,
      ) => html`<li key=${s.index} class=${s.state} data-state=${s.state} aria-current=${s.state === 'current' ? 'step' : undefined}>
        <span class="visually-hidden">${s.state}: </span>${s.label}${s.state === 'current' ? timeLeft(s, now) : ''}
      </li>`,
    )}
  </ol>`;
}

function AnalysisRun({ run }: { run: AnalysisRunView }) {
  return html`<section class="run" aria-label=${`AnalysisRun ${run.name}`}>
    <h3>${run.name} ${badge(run.phase)}</h3>
    ${run.message !== '' && html`<p>${run.message}</p>`}
    ${run.metrics.map(
      (m) => html`<div class="metric" key=${m.name} data-metric=${m.name}>
        <h4>${m.name} ${badge(m.phase)}</h4>
        <dl>
          ${m.provider !== '' && html`<dt>Provider</dt><dd>${m.provider}</dd>`}
          ${m.query !== '' && html`<dt>Query</dt><dd class="mono">${m.query}</dd>`}
          ${m.successCondition !== '' && html`<dt>Success</dt><dd class="mono">${m.successCondition}</dd>`}
          ${m.failureCondition !== '' && html`<dt>Failure</dt><dd class="mono">${m.failureCondition}</dd>`}
        </dl>
        <${MetricChart} metric=${m} />
      </div>`,
    )}
  </section>`;
}

export function RolloutPage(props: {
  namespace: string;
  name: string;
  onUnauthorized: () => void;
  readOnly: boolean;
}) {
  const { namespace, name } = props;
  const { page, error } = useLiveView<Page>('rollout', namespace, name, props.onUnauthorized);
  const [revision, setRevision] = useState(0);
  const actions = useConfirmedActions<(typeof ACTIONS)[number]>(({ action }) =>
    postJson<{ message: string }>(
      `/api/rollouts/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/actions/${action}`,
      action === 'undo' ? { revision } : {},
    ),
  );
  if (page === undefined) return loadingPage(`Rollout ${namespace}/${name}`, error);
  const info = page.info;
  return html`<section aria-labelledby="rollout-title">
    ${pageHeading('rollout-title', `Rollout ${info.namespace}/${info.name}`, error)}
    <dl class="summary">
      <dt>Status</dt><dd data-field="status">${badge(page.aborted ? 'Aborted' : info.status)} ${info.message}</dd>
      <dt>Strategy</dt><dd>${info.strategy}</dd>
      <dt>Step</dt><dd data-field="step">${info.step}</dd>
      <dt>Set weight</dt><dd data-field="set-weight">${info.setWeight}%</dd>
      <dt>Actual weight</dt><dd data-field="actual-weight">${info.actualWeight}%</dd>
      <dt>Replicas</dt><dd>desired ${info.desired}, current ${info.current}, updated ${info.updated}, ready ${info.ready}, available ${info.available}</dd>
    </dl>
    ${actionBar(actions, ACTIONS, (a) => !props.readOnly && page.actions[a.action])}
    ${confirmDialog(
      actions,
      'confirm-title',
      info.name,
      actions.pending?.action === 'undo' &&
        html`<p><label>Revision
          <select value=${String(revision)} onChange=${(e: Event) => setRevision(Number((e.target as HTMLSelectElement).value))}>
            <option value="0">the previous one</option>
            ${info.replicaSets.slice(1).map((rs) => html`<option key=${rs.name} value=${String(rs.revision)}>${rs.revision} (${rs.images.join(', ')})</option>`)}
          </select></label></p>`,
    )}
    ${
      page.blueGreen !== undefined
        ? html`<h2>Blue-green</h2><${BlueGreen} view=${page.blueGreen} replicaSets=${info.replicaSets} />`
        : html`<h2>Steps</h2><${Steps} steps=${page.steps} />`
    }
    ${
      (page.experiments.length > 0 || page.steps.some((s) => s.label.startsWith('Experiment'))) &&
      html`<h2>Experiments</h2>
        ${page.hidden.includes('experiments') && html`<p class="note">Your RBAC does not allow reading Experiments here.</p>`}
        ${page.experiments.length === 0 && !page.hidden.includes('experiments') && html`<p>No Experiments yet.</p>`}
        ${page.experiments.map((e) => html`<${Experiment} key=${e.name} e=${e} />`)}`
    }
    <h2>Revisions</h2>
    ${
      page.hidden.includes('replicasets')
        ? html`<p class="note">Your RBAC does not allow listing ReplicaSets here.</p>`
        : html`<table>
          <caption class="visually-hidden">ReplicaSets by revision</caption>
          <thead><tr><th scope="col">Revision</th><th scope="col">ReplicaSet</th><th scope="col">Tags</th><th scope="col">Images</th><th scope="col">Status</th><th scope="col">Available</th></tr></thead>
          <tbody>${info.replicaSets.map(
            (
              rs,
            ) => html`<tr key=${rs.name} data-replicaset=${rs.name}><td>${rs.revision}</td><th scope="row" class="mono">${rs.name}</th><td>${rs.tags.join(', ')}</td>
              <td class="mono">${rs.images.join(', ')}</td><td>${badge(rs.status)}</td><td>${rs.available}/${rs.replicas}</td></tr>
              ${rs.pods.map(
                (
                  pod,
                ) => html`<tr key=${pod.name} class="pod" data-pod=${pod.name}><td></td><td class="mono">↳ ${pod.name}</td><td></td>
                  <td>ready ${pod.ready}${pod.restarts > 0 ? `, ${pod.restarts} restarts` : ''}</td><td>${badge(pod.status)}</td><td></td></tr>`,
              )}`,
          )}</tbody>
        </table>`
    }
    <h2>Analysis</h2>
    ${page.hidden.includes('analysisruns') && html`<p class="note">Your RBAC does not allow reading AnalysisRuns here.</p>`}
    ${page.analysisRuns.length === 0 && !page.hidden.includes('analysisruns') && html`<p>No AnalysisRuns.</p>`}
    ${page.analysisRuns.map((r) => html`<${AnalysisRun} key=${r.name} run=${r} />`)}
  </section>`;
}
