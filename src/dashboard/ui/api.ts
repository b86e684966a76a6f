// Talks to the dashboard's API with the signed-in token, and follows its server-sent events (read
// with fetch, because EventSource cannot send an Authorization header).

const TOKEN_KEY = 'slipway.token';

export const getToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? '';
export const setToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const clearToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = getToken();
  return { ...extra, ...(token !== '' && { Authorization: `Bearer ${token}` }) };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return new ApiError(res.status, body.error ?? `${res.status} ${res.statusText}`);
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export async function postJson<T>(path: string, body: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export interface StreamHandlers<T> {
  readonly onView: (view: T) => void;
  /** The server refused the stream (401, 403, 404: for good; 5xx: it is retried). */
  readonly onFailure: (err: ApiError) => void;
  readonly onConnection?: (live: boolean) => void;
}

/** Follows `/api/stream?query`; reconnects after network errors. Returns a function that stops it. */
export function openStream<T>(query: string, handlers: StreamHandlers<T>): () => void {
  const abort = new AbortController();
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(`/api/stream?${query}`, { headers: headers(), signal: abort.signal });
        if (!res.ok || res.body === null) {
          const err = await errorOf(res);
          handlers.onFailure(err);
          // the API server or the dashboard is unavailable for now: try again; 4xx answers are final
          if (err.status < 500) return;
          await new Promise((r) => setTimeout(r, 5_000));
          continue;
        }
        handlers.onConnection?.(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length === 0) continue;
            const parsed = JSON.parse(data.join('\n')) as unknown;
            if (event === 'view') handlers.onView(parsed as T);
            else if (event === 'failure') {
              const f = parsed as { status: number; error: string };
              handlers.onFailure(new ApiError(f.status, f.error));
              if (f.status < 500) return;
            }
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      handlers.onConnection?.(false);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  };
  void run();
  return () => abort.abort();
}
