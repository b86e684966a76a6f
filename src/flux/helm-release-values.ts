import { createHash } from 'node:crypto';
import { canonicalJson } from '../go/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import type { HelmRelease } from './helm-types.js';
import { mergeValues, parseValues, setValueAtPath, type Values } from './helm-values.js';

/** At most this much text in one values reference (a ConfigMap or Secret is 1 MiB at most anyway). */
const MAX_VALUES_BYTES = 1024 * 1024;

/**
 * helm-controller's ComposeValues: every `valuesFrom` reference in order (a whole values document,
 * or one string at `targetPath`), then `spec.values` on top. A missing reference fails unless
 * `optional`. Messages are Flux's.
 */
export async function composeValues(client: KubeClient, hr: HelmRelease): Promise<Values> {
  const ns = hr.metadata.namespace ?? '';
  let values: Values = {};
  for (const ref of hr.spec.valuesFrom ?? []) {
    const key = ref.valuesKey || 'values.yaml';
    let obj: KubeObject & { data?: Record<string, string> };
    try {
      obj = await client.get({ apiVersion: 'v1', kind: ref.kind, namespace: ns, name: ref.name });
    } catch (err) {
      if (isNotFound(err)) {
        if (ref.optional) continue;
        throw new Error(`could not find ${ref.kind} '${ns}/${ref.name}'`);
      }
      throw err;
    }
    const raw = obj.data?.[key];
    if (raw === undefined) {
      if (ref.optional) continue;
      throw new Error(`missing key '${key}' in ${ref.kind} '${ns}/${ref.name}'`);
    }
    const text = ref.kind === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (text.length > MAX_VALUES_BYTES)
      throw new Error(`values in ${ref.kind} '${ns}/${ref.name}' are too large`);
    values = ref.targetPath
      ? setValueAtPath(values, ref.targetPath, text)
      : mergeValues(values, parseValues(text, `${ref.kind} '${ns}/${ref.name}' key '${key}'`));
  }
  return mergeValues(values, (hr.spec.values ?? {}) as Values);
}

/** `sha256:` of the values' canonical JSON (status.lastAttemptedConfigDigest, history configDigest). Pure. */
export function configDigest(values: Values): string {
  return `sha256:${createHash('sha256').update(canonicalJson(values)).digest('hex')}`;
}
