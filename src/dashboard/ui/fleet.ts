import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FleetRow, FleetView } from '../fleet-view.js';
import { type ApiError, openStream, postJson } from './api.js';
import { badge, html, link } from './html.js';

const pagePath = (r: FleetRow) =>
  `/${r.kind === 'Rollout' ? 'rollouts' : 'applications'}/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;
const rowKey = (r: FleetRow) => `${r.namespace}/${r.name}`;

/** Promotes the selected paused Rollouts one request each (each checked against the viewer's RBAC). */
function BulkPromote(props: { selected: readonly FleetRow[]; readOnly: boolean; onDone: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [results, setResults] = useState<{ key: string; ok: boolean; text: string }[]>([]);
  const promoteAll = async () => {
    dialog.current?.close();
    const out = await Promise.all(
      props.selected.map(async (r) => {
        try {
          const answer = await postJson<{ message: string }>(
            `/api/rollouts/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}/actions/promote`,
          );
          return { key: rowKey(r), ok: true, text: answer.message };
        } catch (err) {
          return { key: rowKey(r), ok: false, text: `${rowKey(r)}: ${(err as Error).message}` };
        }
      }),
    );
    setResults(out);
    props.onDone();
  };
  return html`<div class="bulk">
    <button type="button" disabled=${props.readOnly || props.selected.length === 0}
      onClick=${() => {
        setResults([]);
        dialog.current?.showModal();
      }}>Promote selected (${props.selected.length})</button>
    <dialog ref=${dialog} aria-labelledby="bulk-title">
      <h2 id="bulk-title">Promote ${props.selected.length} Rollout(s)</h2>
      <ul>${props.selected.map((r) => html`<li key=${rowKey(r)} class="mono">${rowKey(r)}</li>`)}</ul>
      <form method="dialog" class="buttons">
        <button type="button" onClick=${promoteAll}>Confirm</button>
        <button type="button" onClick=${() => dialog.current?.close()}>Cancel</button>
      </form>
    </dialog>
    <ul aria-live="polite" class="results">
      ${results.map((r) => html`<li key=${r.key} role=${r.ok ? 'status' : 'alert'} class=${r.ok ? 'ok' : 'error'}>${r.text}</li>`)}
    </ul>
  </div>`;
}

function matches(row: FleetRow, search: string, kind: string, status: string): boolean {
  if (kind !== '' && row.kind !== kind) return false;
  if (status !== '' && row.status !== status && row.sync !== status) return false;
  if (search === '') return true;
  const text = `${row.namespace}/${row.name} ${row.revision} ${row.message}`.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .every((w) => text.includes(w));
}

export function FleetPage({ onUnauthorized, readOnly }: { onUnauthorized: () => void; readOnly: boolean }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [view, setView] = useState<FleetView | undefined>(undefined);
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  useEffect(
    () =>
      openStream<FleetView>('view=fleet', {
        onView: (v) => {
          setView(v);
          setError('');
        },
        onFailure: (err: ApiError) => (err.status === 401 ? onUnauthorized() : setError(err.message)),
      }),
    [],
  );
  const rows = useMemo(
    () => (view?.rows ?? []).filter((r) => matches(r, search.trim(), kind, status)),
    [view, search, kind, status],
  );
  const paused = (r: FleetRow) => r.kind === 'Rollout' && r.status === 'Paused';
  const chosen = rows.filter((r) => paused(r) && selected.has(rowKey(r)));
  const toggle = (r: FleetRow) => {
    const next = new Set(selected);
    if (next.has(rowKey(r))) next.delete(rowKey(r));
    else next.add(rowKey(r));
    setSelected(next);
  };
  const statuses = Object.keys(view?.counts ?? {}).sort();
  const syncs = Object.keys(view?.syncCounts ?? {}).sort();
  return html`
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title">Fleet</h1>
      ${error !== '' && html`<p role="alert" class="error">${error}</p>`}
      <ul class="counts" aria-label="Counts by state">
        <li><strong>${view?.rows.length ?? 0}</strong> objects</li>
        ${statuses.map((s) => html`<li key=${s}>${badge(s)} <strong>${view?.counts[s]}</strong></li>`)}
        ${syncs.map((s) => html`<li key=${`sync-${s}`}>sync ${badge(s)} <strong>${view?.syncCounts[s]}</strong></li>`)}
      </ul>
      ${
        (view?.hiddenNamespaces ?? 0) > 0 &&
        html`<p class="note">${view?.hiddenNamespaces} namespace(s) hidden: your RBAC does not allow listing them.</p>`
      }
      <div class="filters" role="search">
        <label>Search <input type="search" value=${search} onInput=${(e: Event) => setSearch((e.target as HTMLInputElement).value)} placeholder="name, namespace, image" /></label>
        <label>Kind
          <select value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value)}>
            <option value="">All</option><option>Rollout</option><option>Application</option>
          </select>
        </label>
        <label>State
          <select value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">All</option>
            ${[...new Set([...statuses, ...syncs])].sort().map((s) => html`<option key=${s}>${s}</option>`)}
          </select>
        </label>
      </div>
      <${BulkPromote} selected=${chosen} readOnly=${readOnly} onDone=${() => setSelected(new Set())} />
      ${
        view === undefined
          ? html`<p aria-busy="true">Loading…</p>`
          : html`<table class="fleet">
              <caption>${rows.length} of ${view.rows.length} shown</caption>
              <thead><tr>
                <th scope="col"><span class="visually-hidden">Select</span></th>
                <th scope="col">Kind</th><th scope="col">Namespace</th><th scope="col">Name</th>
                <th scope="col">Status</th><th scope="col">Sync</th><th scope="col">Step</th>
                <th scope="col">Weight</th><th scope="col">Image / revision</th>
              </tr></thead>
              <tbody>
                ${rows.map(
                  (
                    r,
                  ) => html`<tr key=${`${r.kind}/${r.namespace}/${r.name}`} data-kind=${r.kind} data-name=${r.name}>
                    <td>${
                      paused(r) &&
                      html`<input type="checkbox" aria-label=${`Select ${r.namespace}/${r.name}`}
                        checked=${selected.has(rowKey(r))} onChange=${() => toggle(r)} />`
                    }</td>
                    <td>${r.kind}</td><td>${r.namespace}</td>
                    <th scope="row">${link(pagePath(r), r.name)}</th>
                    <td title=${r.message}>${badge(r.status)}</td><td>${r.sync && badge(r.sync)}</td>
                    <td>${r.step}</td><td>${r.weight === undefined ? '' : `${r.weight}%`}</td>
                    <td class="mono">${r.revision}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
}
