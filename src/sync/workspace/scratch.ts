import { tmpdir } from 'node:os';

// Process-wide on purpose: renderers and git make short-lived files from deep inside calls whose
// signatures carry no directory. The sync controller points them into its run dir (removed by the
// next start if the process is killed); CLI commands without a controller use the temp dir.
const roots: string[] = [];

/** Where short-lived files go: the newest open sync workspace's scratch dir, else os.tmpdir(). */
export function scratchRoot(): string {
  return roots.at(-1) ?? tmpdir();
}

/** Routes scratch files into `dir` until the returned release is called. */
export function useScratchRoot(dir: string): () => void {
  roots.push(dir);
  return () => {
    const i = roots.lastIndexOf(dir);
    if (i >= 0) roots.splice(i, 1);
  };
}
