// Compare what the upstream plugin and `slipway rollout get|list` print for the same Rollout: the
// summary fields, the images and the tree (every column but AGE, which moves between two reads).
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.js';
import { captureOutput } from '../captured-output.js';
import { eventually, testKubeconfigPath } from '../kube.js';
import { argoPluginOk } from './upstream-binaries.js';

export interface RolloutView {
  /** Summary fields by label ("Status", "SetWeight", "Desired", …), values trimmed. */
  readonly fields: Readonly<Record<string, string>>;
  readonly images: readonly string[];
  /** Tree rows as `NAME | KIND | STATUS | INFO` (AGE dropped). */
  readonly tree: readonly string[];
}

/** Parses the `get rollout` text of either CLI. */
export function parseRolloutView(text: string): RolloutView {
  const lines = text.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const blank = lines.indexOf('');
  const fields: Record<string, string> = {};
  const images: string[] = [];
  for (const line of lines.slice(0, blank)) {
    const label = line.slice(0, 17).trim();
    const value = line.slice(17).trim();
    if (label === '') images.push(value);
    else {
      fields[label.replace(/:$/, '')] = value;
      if (label === 'Images:') images.push(value);
    }
  }
  const table = lines.slice(blank + 1).filter((l) => l.trim() !== '');
  const header = table[0] ?? '';
  const starts = ['NAME', 'KIND', 'STATUS', 'AGE', 'INFO'].map((h) => header.indexOf(h));
  const tree = table.slice(1).map((line) => {
    const chars = [...line];
    const cell = (i: number) =>
      chars
        .slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined)
        .join('')
        .trim();
    return [cell(0), cell(1), cell(2), cell(4)].join(' | ');
  });
  return { fields, images, tree };
}

/** Runs `slipway ARGS --kubeconfig <test cluster>` in process; its stdout+stderr. */
export async function slipwayOutput(...args: string[]): Promise<string> {
  const { result, out } = await captureOutput(() => main([...args, '--kubeconfig', testKubeconfigPath()]));
  assert.equal(result, 0, `slipway ${args.join(' ')} exited ${result}: ${out}`);
  return out;
}

/** Both CLIs' `get rollout` views of `name`, parsed. */
export async function bothRolloutViews(
  namespace: string,
  name: string,
): Promise<{ upstream: RolloutView; slipway: RolloutView; raw: { upstream: string; slipway: string } }> {
  const upstream = await argoPluginOk('get', 'rollout', name, '-n', namespace, '--no-color');
  const slipway = await slipwayOutput('rollout', 'get', name, '-n', namespace, '--no-color');
  return {
    upstream: parseRolloutView(upstream),
    slipway: parseRolloutView(slipway),
    raw: { upstream, slipway },
  };
}

/**
 * Waits (the world moves between the two reads) until both CLIs show the same fields, images and
 * tree for `name` and `ready` holds for the upstream view; fails with both texts otherwise.
 */
export async function rolloutViewsAgree(
  namespace: string,
  name: string,
  ready: (view: RolloutView) => boolean,
  timeoutMs = 120_000,
): Promise<RolloutView> {
  let last: Awaited<ReturnType<typeof bothRolloutViews>> | undefined;
  try {
    return await eventually(
      `kubectl-argo-rollouts and slipway to show the same view of ${name}`,
      async () => {
        last = await bothRolloutViews(namespace, name);
        const { upstream, slipway } = last;
        if (!ready(upstream)) return undefined;
        return JSON.stringify(upstream) === JSON.stringify(slipway) ? upstream : undefined;
      },
      timeoutMs,
      500,
    );
  } catch (err) {
    if (last === undefined) throw err;
    const texts = `upstream:\n${last.raw.upstream}\nslipway:\n${last.raw.slipway}`;
    assert.deepEqual(last.slipway, last.upstream, texts);
    throw new Error(`${(err as Error).message}; the last views agree but not as expected:\n${texts}`);
  }
}

/** Both CLIs' rollout lists of `namespace`, trailing blanks trimmed. */
export async function bothRolloutLists(
  namespace: string,
): Promise<{ upstream: string[]; slipway: string[] }> {
  const trim = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '');
  return {
    upstream: trim(await argoPluginOk('list', 'rollouts', '-n', namespace)),
    slipway: trim(await slipwayOutput('rollout', 'list', '-n', namespace)),
  };
}
