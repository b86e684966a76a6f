/**
 * What makes an Application's spec unusable before anything is fetched (the InvalidSpecError
 * condition). Pure; shared by the reconciler and `slipway lint`.
 */
import type { Application } from '../types.js';

/** The InvalidSpecError message for the spec, or undefined when the controller can work with it. */
export function applicationSpecError(app: Pick<Application, 'spec'>): string | undefined {
  if (!app.spec?.source?.repoURL)
    return 'spec.source.repoURL is required (multiple sources are not supported yet)';
  return undefined;
}
