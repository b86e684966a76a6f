// What the pages of one object (a Rollout, an Application) share: the object's live view over
// server-sent events, the heading while it loads and once it has, and actions that a dialog asks the
// user to confirm before they are sent, with the outcome announced.
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, openStream } from './api.js';
import { html, link } from './html.js';

export interface LiveView<T> {
  readonly page: T | undefined;
  /** The last failure of the stream ("" once a view arrives again). */
  readonly error: string;
}

/** Follows `/api/stream?view=<view>` for one object; a 401 hands over to `onUnauthorized`. */
export function useLiveView<T>(
  view: 'rollout' | 'application',
  namespace: string,
  name: string,
  onUnauthorized: () => void,
): LiveView<T> {
  const [page, setPage] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(
    () =>
      openStream<T>(
        `view=${view}&namespace=${encodeURIComponent(namespace)}&name=${encodeURIComponent(name)}`,
        {
          onView: (p) => {
            setPage(p);
            setError('');
          },
          onFailure: (err: ApiError) => (err.status === 401 ? onUnauthorized() : setError(err.message)),
        },
      ),
    [namespace, name],
  );
  return { page, error };
}

/** The page before its first view: the title, and the failure or a busy note. */
export function loadingPage(title: string, error: string) {
  return html`<section>
      <h1>${title}</h1>
      ${error !== '' ? html`<p role="alert" class="error">${error}</p>` : html`<p aria-busy="true">Loading…</p>`}
    </section>`;
}

/** The way back to the fleet, the title (labelling the page's section by `id`) and the last failure. */
export function pageHeading(id: string, title: string, error: string) {
  return html`<p>${link('/', '← Fleet')}</p>
    <h1 id=${id}>${title}</h1>
    ${error !== '' && html`<p role="alert" class="error">${error}</p>`}`;
}

/** An action the page offers: `action` names it in the API, `confirm` is the dialog's question. */
export interface ConfirmableAction {
  readonly action: string;
  readonly label: string;
  readonly confirm: string;
}

export interface ConfirmedActions<A extends ConfirmableAction> {
  /** The action the dialog asks about. */
  readonly pending: A | undefined;
  readonly outcome: { readonly ok: boolean; readonly text: string } | undefined;
  readonly dialog: RefObject<HTMLDialogElement>;
  /** Opens the dialog for `a`, clearing the last outcome. */
  ask(a: A): void;
  cancel(): void;
  /** Sends the pending action and records what the API answered. */
  confirm(): Promise<void>;
}

/** The state of confirmed actions; `send` posts one and resolves with the API's message. */
export function useConfirmedActions<A extends ConfirmableAction>(
  send: (a: A) => Promise<{ message: string }>,
): ConfirmedActions<A> {
  const [pending, setPending] = useState<A | undefined>(undefined);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (pending !== undefined) dialog.current?.showModal();
    else dialog.current?.close();
  }, [pending]);
  return {
    pending,
    outcome,
    dialog,
    ask: (a) => {
      setOutcome(undefined);
      setPending(a);
    },
    cancel: () => setPending(undefined),
    confirm: async () => {
      if (pending === undefined) return;
      setPending(undefined);
      try {
        setOutcome({ ok: true, text: (await send(pending)).message });
      } catch (err) {
        setOutcome({ ok: false, text: (err as Error).message });
      }
    },
  };
}

/** One button per action (disabled unless `isEnabled`), then the outcome of the last one sent. */
export function actionBar<A extends ConfirmableAction>(
  controls: ConfirmedActions<A>,
  actions: readonly A[],
  isEnabled: (a: A) => boolean,
) {
  const { outcome } = controls;
  return html`<div class="actions" role="group" aria-label="Actions">
      ${actions.map(
        (a) => html`<button key=${a.action} type="button" disabled=${!isEnabled(a)}
          onClick=${() => controls.ask(a)}>${a.label}</button>`,
      )}
    </div>
    <div aria-live="polite">
      ${outcome !== undefined && html`<p role=${outcome.ok ? 'status' : 'alert'} class=${outcome.ok ? 'ok' : 'error'}>${outcome.text}</p>`}
    </div>`;
}

/** The dialog asking to confirm the pending action on `subject`; `extra` goes below the question. */
export function confirmDialog<A extends ConfirmableAction>(
  controls: ConfirmedActions<A>,
  titleId: string,
  subject: string,
  extra?: ComponentChildren,
) {
  const { pending } = controls;
  return html`<dialog ref=${controls.dialog} aria-labelledby=${titleId} onClose=${controls.cancel}>
      <h2 id=${titleId}>${pending?.label} ${subject}</h2>
      <p>${pending?.confirm}</p>
      ${extra}
      <form method="dialog" class="buttons">
        <button type="button" onClick=${() => void controls.confirm()}>Confirm</button>
        <button type="button" onClick=${controls.cancel}>Cancel</button>
      </form>
    </dialog>`;
}
