import { setImmediate as turn } from 'node:timers/promises';
import type { SetterValue } from './setter-values.js';
import { type ManifestFile, SettersCollector, type SettersOutcome, setterSteps } from './setters.js';

/** Longest stretch of setter work between two turns of the event loop. */
const SLICE_MS = 20;

/**
 * The Setters over every file, in slices of about 20 ms: parsing thousands of marked documents takes
 * seconds, and the controller's other work (leases, watches, other reconciles) must go on meanwhile.
 */
export async function applySettersInSlices(
  files: readonly ManifestFile[],
  setters: ReadonlyMap<string, SetterValue>,
  now: () => number = performance.now.bind(performance),
): Promise<SettersOutcome> {
  const collector = new SettersCollector();
  let sliceStart = now();
  for (const f of SettersCollector.order(files)) {
    const steps = setterSteps(f.text, setters);
    for (;;) {
      const r = steps.next();
      if (r.done) {
        collector.add(f.path, r.value);
        break;
      }
      if (now() - sliceStart >= SLICE_MS) {
        await turn();
        sliceStart = now();
      }
    }
  }
  return collector.outcome();
}
