import { useEffect, useState } from 'preact/hooks';
import type { ApplicationAction, ApplicationPage as Page } from '../application-api.js';
import type { ResourceNode } from '../application-detail.js';
import type { ApplicationDiffView, CommitView } from '../application-diff-view.js';
import { getJson, postJson } from './api.js';
import { badge, html, link } from './html.js';
import {
  actionBar,
  confirmDialog,
  loadingPage,
  pageHeading,
  useConfirmedActions,
  useLiveView,
} from './object-page.js';

interface PendingAction {
  readonly action: ApplicationAction;
  readonly label: string;
  readonly confirm: string;
  /** Rollback: the history entry. */
  readonly id?: number;
}

const ACTIONS: readonly PendingAction[] = [
  { action: 'sync', label: 'Sync', confirm: 'Apply what Git holds at the target revision now?' },
  { action: 'refresh', label: 'Refresh', confirm: 'Read Git again and compare now?' },
];

const rolloutPath = (ns: string, name: string) =>
  `/rollouts/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

function Node({ node, depth }: { node: ResourceNode; depth: number }) {
  const id = `${node.kind}/${node.namespace}/${node.name}`;
  return html`<li data-resource=${id} data-kind=${node.kind} style=${`--depth:${depth}`}>
    <span class="kind">${node.kind}</span>
    ${node.rollout !== undefined ? link(rolloutPath(node.namespace, node.name), node.name) : html`<span class="mono">${node.name}</span>`}
    ${node.sync !== '' && badge(node.sync)} ${node.health !== '' && badge(node.health)}
    ${
      node.rollout !== undefined &&
      html`<span class="rollout-live" data-field="rollout-phase">${badge(node.rollout.phase)}
        ${node.rollout.step !== '' && ` step ${node.rollout.step}`}${node.rollout.weight !== undefined && `, weight ${node.rollout.weight}%`}
        <span class="mono">${node.rollout.image}</span></span>`
    }
    ${node.message !== '' && html`<span class="note"> ${node.message}</span>`}
    ${
      node.pods.length > 0 &&
      html`<ul class="pods" aria-label=${`Pods of ${node.name}`}>
        ${node.pods.map((p) => html`<li key=${p.name} data-pod=${p.name}><span class="mono">${p.name}</span> ${badge(p.status)} ready ${p.ready}${p.restarts > 0 ? `, ${p.restarts} restarts` : ''}</li>`)}
      </ul>`
    }
    ${
      node.children.length > 0 &&
      html`<ul>${node.children.map((c) => html`<${Node} key=${`${c.kind}/${c.name}`} node=${c} depth=${depth + 1} />`)}</ul>`
    }
  </li>`;
}

export function ApplicationPage(props: {
  namespace: string;
  name: string;
  onUnauthorized: () => void;
  readOnly: boolean;
}) {
  const { namespace, name } = props;
  const { page, error } = useLiveView<Page>('application', namespace, name, props.onUnauthorized);
  const [diff, setDiff] = useState<ApplicationDiffView | undefined>(undefined);
  const [diffState, setDiffState] = useState<{ busy: boolean; error: string }>({ busy: false, error: '' });
  const [commits, setCommits] = useState<Record<string, CommitView>>({});
  const appPath = `/api/applications/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  const compare = async () => {
    setDiffState({ busy: true, error: '' });
    try {
      setDiff(await getJson<ApplicationDiffView>(`${appPath}/diff`));
      setDiffState({ busy: false, error: '' });
    } catch (err) {
      setDiffState({ busy: false, error: (err as Error).message });
    }
  };
  useEffect(() => {
    void compare();
  }, [namespace, name]);
  // the commits behind the history: asked again only when the history's revisions change
  const historyKey = (page?.history ?? []).map((h) => h.revision).join(' ');
  useEffect(() => {
    if (historyKey === '') return;
    getJson<{ commits: CommitView[] }>(`${appPath}/commits`)
      .then((r) => setCommits(Object.fromEntries(r.commits.map((c) => [c.sha, c]))))
      .catch(() => undefined);
  }, [historyKey]);
  const actions = useConfirmedActions<PendingAction>((p) =>
    postJson<{ message: string }>(`${appPath}/actions/${p.action}`, p.id !== undefined ? { id: p.id } : {}),
  );
  if (page === undefined) return loadingPage(`Application ${namespace}/${name}`, error);
  const op = page.operation;
  return html`<section aria-labelledby="app-title">
    ${pageHeading('app-title', `Application ${page.namespace}/${page.name}`, error)}
    <dl class="summary">
      <dt>Sync</dt><dd data-field="sync">${badge(page.sync)}${page.syncRequested ? ' (sync requested)' : ''}${page.autoSync ? ' · auto-sync' : ''}</dd>
      <dt>Health</dt><dd data-field="health">${badge(page.health)} ${page.healthMessage}</dd>
      <dt>Revision</dt><dd class="mono" data-field="revision">${page.revision || '—'}</dd>
      <dt>Source</dt><dd class="mono">${page.repoURL} ${page.path} @ ${page.targetRevision}</dd>
      <dt>Destination</dt><dd class="mono">${page.destination}</dd>
      <dt>Project</dt><dd>${page.project}</dd>
    </dl>
    ${actionBar(actions, ACTIONS, (a) => !props.readOnly && page.actions[a.action])}
    ${confirmDialog(actions, 'app-confirm-title', page.name)}
    ${
      page.conditions.length > 0 &&
      html`<h2>Conditions</h2><ul class="conditions">${page.conditions.map((c) => html`<li key=${c.type}>${badge(c.type)} ${c.message}</li>`)}</ul>`
    }
    <h2>Rollouts</h2>
    ${
      page.rollouts.length === 0
        ? html`<p>No Rollouts in this Application.</p>`
        : html`<ul class="rollout-links">${page.rollouts.map((r) => html`<li key=${`${r.namespace}/${r.name}`}>${link(rolloutPath(r.namespace, r.name), `${r.namespace}/${r.name}`)}</li>`)}</ul>`
    }
    <h2>Resources</h2>
    ${page.tree.length === 0 ? html`<p>No resources recorded yet.</p>` : html`<ul class="tree" aria-label="Resource tree">${page.tree.map((n) => html`<${Node} key=${`${n.kind}/${n.namespace}/${n.name}`} node=${n} depth=${0} />`)}</ul>`}
    <h2>Operation</h2>
    ${
      op === undefined
        ? html`<p>No operation yet.</p>`
        : html`<dl class="summary" data-field="operation">
          <dt>Phase</dt><dd>${badge(op.phase)} ${op.message}</dd>
          <dt>Revision</dt><dd class="mono">${op.revision}</dd>
          <dt>Started</dt><dd>${op.startedAt}${op.initiatedBy !== '' ? ` by ${op.initiatedBy}` : ''}</dd>
          <dt>Finished</dt><dd>${op.finishedAt || '—'}${op.retryCount > 0 ? ` (retry ${op.retryCount})` : ''}</dd>
        </dl>`
    }
    <h2>Diff against Git</h2>
    <div class="actions">
      <button type="button" disabled=${diffState.busy} onClick=${() => void compare()}>${diffState.busy ? 'Comparing…' : 'Compare again'}</button>
    </div>
    ${diffState.error !== '' && html`<p role="alert" class="error">${diffState.error}</p>`}
    ${diff !== undefined && html`<${DiffList} diff=${diff} />`}
    <h2>History</h2>
    ${page.autoSync && page.history.length > 1 && html`<p class="note">Automated sync is on: Argo CD refuses a rollback until it is turned off.</p>`}
    ${
      page.history.length === 0
        ? html`<p>No deployments yet.</p>`
        : html`<table>
          <caption class="visually-hidden">Deployed revisions, newest first</caption>
          <thead><tr><th scope="col">ID</th><th scope="col">Revision</th><th scope="col">Commit</th><th scope="col">Deployed</th><th scope="col">By</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>${page.history.map((h, i) => {
            const c = commits[h.revision];
            return html`<tr key=${h.id} data-history=${h.id}><td>${h.id}</td><td class="mono">${h.revision.slice(0, 7)}</td>
              <td data-field="commit">${c === undefined ? '' : c.error !== undefined ? html`<span class="note">${c.error}</span>` : html`<span title=${c.message}>${c.subject}</span> <span class="note">${c.author}</span>`}</td>
              <td>${h.deployedAt}</td><td>${h.initiatedBy}</td>
              <td>${
                i > 0 &&
                html`<button type="button" aria-label=${`Rollback to ${h.id}`} disabled=${props.readOnly || !page.actions.rollback}
                  onClick=${() =>
                    actions.ask({
                      action: 'rollback',
                      label: 'Rollback',
                      id: h.id,
                      confirm: `Sync back to history entry ${h.id} (${h.revision.slice(0, 7)})${c?.subject ? `: ${c.subject}` : ''}?`,
                    })}>Rollback</button>`
              }</td></tr>`;
          })}</tbody>
        </table>`
    }
  </section>`;
}

function DiffList({ diff }: { diff: ApplicationDiffView }) {
  return html`<p data-field="diff-summary">${diff.outOfSync} of ${diff.resources.length + diff.omitted} resources differ from Git at <span class="mono">${diff.revision.slice(0, 7)}</span>.</p>
    <ul class="diffs" aria-label="Resources compared with Git">
      ${diff.resources.map(
        (r) => html`<li key=${r.key} data-diff=${`${r.kind}/${r.namespace}/${r.name}`}>
          ${
            r.diff === ''
              ? html`<span class="kind">${r.kind}</span> <span class="mono">${r.name}</span> ${badge(r.status)}${r.hidden ? html` <span class="note">(your RBAC does not allow reading it)</span>` : ''}`
              : html`<details open=${diff.outOfSync <= 5}>
                  <summary><span class="kind">${r.kind}</span> <span class="mono">${r.name}</span> ${badge(r.status)}</summary>
                  <pre class="diff" tabindex="0" aria-label=${`Diff of ${r.kind} ${r.name}`}>${r.diff.split('\n').map((line) => html`<span class=${line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : ''}>${`${line}\n`}</span>`)}</pre>
                </details>`
          }
        </li>`,
      )}
    </ul>`;
}
