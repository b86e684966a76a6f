import { isNotFound, type KubeObject, type KubeReader } from '../kube/index.js';
import type { Kustomization } from './types.js';

type DataObject = KubeObject & { readonly data?: Readonly<Record<string, string>> };

/**
 * The variables of `postBuild`: each `substituteFrom` ConfigMap's or Secret's data in order (a later
 * one wins), then `substitute` over them. A missing non-optional reference is an error in Flux's words.
 */
export async function substitutionVariables(
  client: KubeReader,
  k: Kustomization,
): Promise<Record<string, string> | undefined> {
  const post = k.spec.postBuild;
  if (!post) return undefined;
  const vars: Record<string, string> = {};
  for (const ref of post.substituteFrom ?? []) {
    let obj: DataObject;
    try {
      obj = await client.get<DataObject>({
        apiVersion: 'v1',
        kind: ref.kind,
        namespace: k.metadata.namespace ?? '',
        name: ref.name,
      });
    } catch (err) {
      if (isNotFound(err) && ref.optional) continue;
      const why = isNotFound(err) ? `${ref.kind.toLowerCase()}s "${ref.name}" not found` : String(err);
      throw new Error(`substitute from '${ref.kind}/${ref.name}' failed: ${why}`);
    }
    for (const [key, value] of Object.entries(obj.data ?? {}))
      vars[key] = ref.kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  Object.assign(vars, post.substitute ?? {});
  return vars;
}
