import { useEffect, useState } from 'preact/hooks';
import type {
  NotificationConfigView,
  NotificationsView,
  ObjectNotifications,
} from '../notifications-view.js';
import { type ApiError, openStream } from './api.js';
import { badge, html } from './html.js';

const when = (ms: number) => (ms > 0 ? new Date(ms).toISOString().replace('.000Z', 'Z') : '');

function Config({ config }: { config: NotificationConfigView }) {
  const id = `${config.namespace}/${config.name}`;
  return html`<section class="run" aria-label=${`Configuration ${id}`} data-config=${id}>
    <h3 class="mono">${id}</h3>
    ${
      config.problems.length > 0 &&
      html`<ul class="error">${config.problems.map((p) => html`<li key=${p.key}>${p.key}: ${p.message}</li>`)}</ul>`
    }
    <h4>Services</h4>
    <ul>${config.services.map((s) => html`<li key=${s.name} data-service=${s.name}>${s.name} <span class="note">(${s.type})</span></li>`)}</ul>
    <h4>Triggers</h4>
    <table>
      <caption class="visually-hidden">Triggers and their conditions</caption>
      <thead><tr><th scope="col">Trigger</th><th scope="col">When</th><th scope="col">Send</th><th scope="col">Once per</th></tr></thead>
      <tbody>
        ${config.triggers.flatMap((t) =>
          t.conditions.map(
            (c, i) => html`<tr key=${`${t.name}/${i}`} data-trigger=${t.name}>
              <th scope="row">${i === 0 ? t.name : ''}</th><td class="mono">${c.when}</td><td>${c.send.join(', ')}</td><td class="mono">${c.oncePer}</td>
            </tr>`,
          ),
        )}
      </tbody>
    </table>
    <h4>Templates</h4>
    <ul>${config.templates.map((t) => html`<li key=${t.name} data-template=${t.name}>${t.name} <span class="note">${t.sections.join(', ')}</span></li>`)}</ul>
    ${config.defaultTriggers.length > 0 && html`<p>Default triggers: ${config.defaultTriggers.join(', ')}</p>`}
    ${config.subscriptions > 0 && html`<p>${config.subscriptions} global subscription(s)</p>`}
  </section>`;
}

function ObjectRow({ o }: { o: ObjectNotifications }) {
  const rows = [
    ...o.failures.map((f) => ({ state: 'Failed', text: f.message, at: f.at })),
    ...o.pending.map((d) => ({
      state: 'Retrying',
      text: `${d.trigger} → ${d.service}:${d.recipient}`,
      at: d.at,
    })),
    ...o.sent.map((d) => ({ state: 'Sent', text: `${d.trigger} → ${d.service}:${d.recipient}`, at: d.at })),
  ];
  return html`<section class="run" aria-label=${`${o.kind} ${o.namespace}/${o.name}`} data-object=${`${o.kind}/${o.namespace}/${o.name}`}>
    <h3>${o.kind} <span class="mono">${o.namespace}/${o.name}</span></h3>
    <p>Subscriptions: ${
      o.subscriptions.length === 0
        ? 'none'
        : o.subscriptions.map(
            (s) =>
              html`<span key=${`${s.trigger}/${s.service}/${s.recipient}`} class="sub" data-subscription=${`${s.trigger}:${s.service}:${s.recipient}`}>${s.trigger} → ${s.service}:${s.recipient}</span> `,
          )
    }</p>
    ${o.threads.length > 0 && html`<p>Slack threads: ${o.threads.map((t) => html`<span key=${t.ts} class="mono">${t.channel}/${t.ts} </span>`)}</p>`}
    ${
      rows.length > 0 &&
      html`<table>
        <caption class="visually-hidden">Deliveries, failures first</caption>
        <thead><tr><th scope="col">State</th><th scope="col">Delivery</th><th scope="col">When</th></tr></thead>
        <tbody>${rows.map((r, i) => html`<tr key=${i} data-delivery=${r.state}><td>${badge(r.state)}</td><td>${r.text}</td><td>${when(r.at)}</td></tr>`)}</tbody>
      </table>`
    }
  </section>`;
}

export function NotificationsPage({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [view, setView] = useState<NotificationsView | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(
    () =>
      openStream<NotificationsView>('view=notifications', {
        onView: (v) => {
          setView(v);
          setError('');
        },
        onFailure: (err: ApiError) => (err.status === 401 ? onUnauthorized() : setError(err.message)),
      }),
    [],
  );
  return html`<section aria-labelledby="notifications-title">
    <h1 id="notifications-title">Notifications</h1>
    ${error !== '' && html`<p role="alert" class="error">${error}</p>`}
    ${
      view === undefined
        ? html`<p aria-busy="true">Loading…</p>`
        : html`
          <h2>Configuration</h2>
          ${view.configs.length === 0 ? html`<p>No notification ConfigMap you may read.</p>` : view.configs.map((c) => html`<${Config} key=${`${c.namespace}/${c.name}`} config=${c} />`)}
          <h2>Deliveries by object</h2>
          ${view.objects.length === 0 && html`<p>No object has subscriptions or deliveries.</p>`}
          ${view.objects.map((o) => html`<${ObjectRow} key=${`${o.kind}/${o.namespace}/${o.name}`} o=${o} />`)}
          ${view.omitted > 0 && html`<p class="note">${view.omitted} more object(s) not shown.</p>`}`
    }
  </section>`;
}
