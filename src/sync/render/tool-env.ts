/**
 * The environment kustomize and helm run with: PATH only from ours (no credentials, no kubeconfig),
 * and no way out to the network. Repository content is untrusted, so a remote base, a remote patch
 * or a chart URL must fail rather than fetch: HTTP(S) goes to a proxy that refuses connections and
 * git allows no transport.
 */
export function toolEnv(): NodeJS.ProcessEnv {
  const noProxy = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/',
    HTTP_PROXY: noProxy,
    HTTPS_PROXY: noProxy,
    http_proxy: noProxy,
    https_proxy: noProxy,
    ALL_PROXY: noProxy,
    GIT_ALLOW_PROTOCOL: 'none',
    GIT_TERMINAL_PROMPT: '0',
  };
}
