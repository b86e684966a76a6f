import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, clearToken, getJson, setToken } from './api.js';
import { ApplicationPage } from './application.js';
import { FleetPage } from './fleet.js';
import { html, link, navigate } from './html.js';
import { NotificationsPage } from './notifications.js';
import { RolloutPage } from './rollout.js';
import './style.css';

interface WhoAmI {
  readonly username: string;
  readonly readOnly: boolean;
  readonly mode: 'token' | 'kubeconfig';
}

function Login({ onSignedIn, problem }: { onSignedIn: (me: WhoAmI) => void; problem: string }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState(problem);
  const submit = async (e: Event) => {
    e.preventDefault();
    setToken(token.trim());
    try {
      onSignedIn(await getJson<WhoAmI>('/api/whoami'));
    } catch (err) {
      clearToken();
      setError(
        err instanceof ApiError && err.status === 401
          ? 'The API server did not accept this token.'
          : (err as Error).message,
      );
    }
  };
  return html`<section class="login" aria-labelledby="login-title">
    <h1 id="login-title">Sign in</h1>
    <p>Paste a Kubernetes bearer token (for example <code>kubectl create token NAME</code>). It is kept in this tab only.</p>
    <form onSubmit=${submit}>
      <label for="token">Kubernetes bearer token</label>
      <input id="token" name="token" type="password" autocomplete="off" required value=${token}
        onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit">Sign in</button>
    </form>
    ${error !== '' && html`<p role="alert" class="error">${error}</p>`}
  </section>`;
}

type Route =
  | { page: 'fleet' | 'notifications' }
  | { page: 'rollout' | 'application'; namespace: string; name: string };

function route(path: string): Route {
  if (path === '/notifications') return { page: 'notifications' };
  const m = /^\/(rollouts|applications)\/([^/]+)\/([^/]+)$/.exec(path);
  if (m?.[2] && m[3])
    return {
      page: m[1] === 'rollouts' ? 'rollout' : 'application',
      namespace: decodeURIComponent(m[2]),
      name: decodeURIComponent(m[3]),
    };
  return { page: 'fleet' };
}

function App() {
  const [me, setMe] = useState<WhoAmI | undefined>(undefined);
  const [checked, setChecked] = useState(false);
  const [problem, setProblem] = useState('');
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    getJson<WhoAmI>('/api/whoami')
      .then(setMe)
      .catch(() => undefined)
      .finally(() => setChecked(true));
    return () => removeEventListener('popstate', onPop);
  }, []);
  const signOut = (why = '') => {
    clearToken();
    setMe(undefined);
    setProblem(why);
  };
  const expired = () => signOut('Your session ended; sign in again.');
  if (!checked) return html`<main><p aria-busy="true">Loading…</p></main>`;
  const r = route(path);
  return html`
    <header>
      <nav aria-label="Main">${link('/', 'Slipway')} ${me !== undefined && link('/', 'Fleet')} ${me !== undefined && link('/notifications', 'Notifications')}</nav>
      ${
        me !== undefined &&
        html`<div class="me">
          <span>Signed in as <strong>${me.username}</strong>${me.readOnly ? ' (read-only)' : ''}</span>
          ${me.mode === 'token' && html`<button type="button" onClick=${() => signOut()}>Sign out</button>`}
        </div>`
      }
    </header>
    <main>
      ${
        me === undefined
          ? html`<${Login} problem=${problem} onSignedIn=${(m: WhoAmI) => {
              setMe(m);
              if (location.pathname === '/login') navigate('/');
            }} />`
          : r.page === 'rollout'
            ? html`<${RolloutPage} key=${`${r.namespace}/${r.name}`} namespace=${r.namespace} name=${r.name} readOnly=${me.readOnly} onUnauthorized=${expired} />`
            : r.page === 'application'
              ? html`<${ApplicationPage} key=${`app/${r.namespace}/${r.name}`} namespace=${r.namespace} name=${r.name} readOnly=${me.readOnly} onUnauthorized=${expired} />`
              : r.page === 'notifications'
                ? html`<${NotificationsPage} onUnauthorized=${expired} />`
                : html`<${FleetPage} onUnauthorized=${expired} readOnly=${me.readOnly} />`
      }
    </main>`;
}

const root = document.getElementById('app');
if (root !== null) render(html`<${App} />`, root);
