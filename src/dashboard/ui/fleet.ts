import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FleetRow, FleetView } from '../fleet-view.js';
import { type ApiError, openStream } from './api.js';
import { badge, html, link } from './html.js';

const rolloutPath = (r: FleetRow) =>
  `/rollouts/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;

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

export function FleetPage({ onUnauthorized }: { onUnauthorized: () => void }) {
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
      ${
        view === undefined
          ? html`<p aria-busy="true">Loading…</p>`
          : html`<table class="fleet">
              <caption>${rows.length} of ${view.rows.length} shown</caption>
              <thead><tr>
                <th scope="col">Kind</th><th scope="col">Namespace</th><th scope="col">Name</th>
                <th scope="col">Status</th><th scope="col">Sync</th><th scope="col">Step</th>
                <th scope="col">Weight</th><th scope="col">Image / revision</th>
              </tr></thead>
              <tbody>
                ${rows.map(
                  (
                    r,
                  ) => html`<tr key=${`${r.kind}/${r.namespace}/${r.name}`} data-kind=${r.kind} data-name=${r.name}>
                    <td>${r.kind}</td><td>${r.namespace}</td>
                    <th scope="row">${r.kind === 'Rollout' ? link(rolloutPath(r), r.name) : r.name}</th>
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
