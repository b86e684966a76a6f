import { readFileSync } from 'node:fs';

/** Parses a golden file under test/golden/ (e.g. `rollouts/phase.json`); its shape is the caller's to state. */
export function readGolden<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../golden/${path}`, import.meta.url), 'utf8')) as T;
}
