import htm from 'htm';
import { h } from 'preact';

/** JSX-like templates without a compiler step (htm bound to Preact). */
export const html = htm.bind(h);

/** A status word as a coloured badge (text, not colour alone, carries the meaning). */
export function badge(status: string) {
  const tone = /^(Healthy|Synced|Successful|Completed)$/.test(status)
    ? 'good'
    : /^(Degraded|Failed|Error|OutOfSync|Aborted|Missing)$/.test(status)
      ? 'bad'
      : /^(Paused|Suspended|Inconclusive)$/.test(status)
        ? 'warn'
        : 'info';
  return html`<span class=${`badge ${tone}`}>${status || '—'}</span>`;
}

/** Client-side navigation between pages of the app. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function link(path: string, text: string) {
  return html`<a href=${path} onClick=${(e: MouseEvent) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  }}>${text}</a>`;
}
