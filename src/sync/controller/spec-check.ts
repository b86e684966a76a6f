/**
 * What makes an Application's spec unusable before anything is fetched (the InvalidSpecError
 * condition). Pure; shared by the reconciler and `slipway lint`.
 */
import type { Application } from '../types.js';
import { appSources, isMultiSource } from './app-sources.js';

/** Sources one app may combine; each is a checkout and possibly a render. */
export const MAX_SOURCES = 20;

const REF_KEY = /^[a-zA-Z0-9_-]+$/;

/** The InvalidSpecError message for the spec, or undefined when the controller can work with it. */
export function applicationSpecError(app: Pick<Application, 'spec'>): string | undefined {
  if (!app.spec) return 'spec.source.repoURL is required';
  const sources = appSources(app);
  if (!isMultiSource(app)) {
    if (!app.spec.source?.repoURL) return 'spec.source.repoURL is required';
    return undefined;
  }
  if (sources.length > MAX_SOURCES)
    return `spec.sources has ${sources.length} entries; at most ${MAX_SOURCES} are supported`;
  const refs = new Set<string>();
  for (const [i, s] of sources.entries()) {
    if (!s?.repoURL) return `spec.sources[${i}].repoURL is required`;
    if (s.chart)
      return `spec.sources[${i}]: Helm repository charts are not supported yet (chart: ${s.chart})`;
    if (!s.ref) continue;
    // Argo CD's checks (util/argo GetRefSources).
    if (!REF_KEY.test(s.ref))
      return `sources.ref ${s.ref} cannot contain any special characters except '_' and '-'`;
    if (refs.has(s.ref)) return 'invalid sources: multiple sources had the same `ref` key';
    refs.add(s.ref);
  }
  return undefined;
}
