/**
 * Secret values never leave a diff: gitops-engine's `HideSecretData`. `stringData` is folded into
 * `data` (base64) first, then every value of a key is replaced by plus signs, the same value by the
 * same run on both sides and a different value by a longer one, so a change still shows as a change.
 * The last-applied annotation (a copy of the whole Secret) is dropped. Pure; other kinds pass through.
 */
import type { KubeObject } from '../../kube/index.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Data = Record<string, unknown>;

const isSecret = (o: KubeObject | undefined): o is KubeObject =>
  o !== undefined && o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);

/**
 * gitops-engine's NormalizeSecret: a Secret's `stringData` folded into `data` (base64), as the API
 * server stores it, so a manifest written with `stringData` compares with the live `data`. Other
 * kinds, and Secrets without `stringData`, are returned as they are.
 */
export function foldStringData(o: KubeObject): KubeObject {
  const { stringData, ...rest } = o as KubeObject & { stringData?: Data; data?: Data };
  if (!isSecret(o) || stringData === undefined || stringData === null) return o;
  const data: Data = { ...((rest as { data?: Data }).data ?? {}) };
  for (const [k, v] of Object.entries(stringData))
    data[k] = Buffer.from(typeof v === 'string' ? v : String(v)).toString('base64');
  return { ...rest, data } as KubeObject;
}

/** A copy with `stringData` folded into `data` and the last-applied annotation removed. */
function normalizedSecret(o: KubeObject): KubeObject & { data?: Data } {
  const folded = foldStringData(o) as KubeObject & { data?: Data };
  const annotations = { ...(folded.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const { annotations: _dropped, ...metadata } = folded.metadata;
  return {
    ...folded,
    metadata: { ...metadata, ...(Object.keys(annotations).length > 0 && { annotations }) },
    ...(folded.data !== undefined && { data: { ...folded.data } }),
  };
}

/** Both sides of a Secret's diff with their values hidden; anything else unchanged. */
export function hideSecretData<T extends KubeObject | undefined, U extends KubeObject | undefined>(
  desired: T,
  live: U,
): [T, U] {
  if (!isSecret(desired) && !isSecret(live)) return [desired, live];
  const sides = [desired, live].map((o) => (isSecret(o) ? normalizedSecret(o) : o)) as (
    | (KubeObject & { data?: Data })
    | undefined
  )[];
  const keys = new Set(sides.flatMap((o) => Object.keys(o?.data ?? {})));
  for (const key of keys) {
    const replacements = new Map<string, string>();
    let next = '++++++++';
    for (const o of sides) {
      if (o?.data === undefined || !(key in o.data)) continue;
      const value = String(o.data[key] ?? '');
      let r = replacements.get(value);
      if (r === undefined) {
        r = next;
        next += '++++';
        replacements.set(value, r);
      }
      o.data[key] = r;
    }
  }
  return [sides[0] as T, sides[1] as U];
}
