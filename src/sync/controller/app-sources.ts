/**
 * An Application's sources as Argo CD reads them: `spec.sources` when set (multi-source), else
 * `spec.source`. A source with `ref` and neither `path` nor `chart` only lends its files to the others
 * (`$ref/...` Helm value files) and is not rendered. Pure.
 */
import type { Application, ApplicationSource } from '../types.js';

export function appSources(app: Pick<Application, 'spec'>): readonly ApplicationSource[] {
  if (app.spec.sources && app.spec.sources.length > 0) return app.spec.sources;
  return app.spec.source ? [app.spec.source] : [];
}

export function isMultiSource(app: Pick<Application, 'spec'>): boolean {
  return (app.spec.sources?.length ?? 0) > 0;
}

/** A `ref` source without a path or chart: checked out for `$ref` value files, never rendered. */
export function isRefOnly(source: ApplicationSource): boolean {
  return !!source.ref && !source.path && !source.chart;
}
