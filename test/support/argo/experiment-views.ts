// What the upstream plugin's `get experiment` prints, in comparable form: the summary fields but the
// namespace, the images and the tree (AGE dropped, pod name suffixes masked).

import { parseRolloutView, type RolloutView } from './rollout-views.js';
import { argoPluginOk } from './upstream-binaries.js';

/** `kubectl-argo-rollouts get experiment NAME -n NAMESPACE`, parsed (same layout as `get rollout`). */
export async function upstreamExperimentView(namespace: string, name: string): Promise<RolloutView> {
  const text = await argoPluginOk('get', 'experiment', name, '-n', namespace, '--no-color');
  const view = parseRolloutView(text);
  const { Namespace: _ns, ...fields } = view.fields;
  return {
    fields,
    images: view.images,
    tree: view.tree.map((row) => row.replace(/(□ \S+)-[a-z0-9]{5}( \|)/u, '$1-xxxxx$2')),
  };
}

/** The view as one line per field and row, for a checkpoint summary. */
export const formatView = (v: RolloutView): string =>
  [
    ...Object.entries(v.fields).map(([k, x]) => `${k}: ${x}`),
    ...v.images.map((i) => `image ${i}`),
    ...v.tree,
  ].join('\n');
