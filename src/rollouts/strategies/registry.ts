/**
 * The strategies Slipway runs. Adding one (blue-green): a folder with its machine and a `RolloutStrategy`,
 * and one line here.
 */
import { blueGreenStrategy } from '../bluegreen/strategy.js';
import { canaryStrategy } from '../canary/strategy.js';
import type { Rollout } from '../types.js';
import type { RolloutStrategy } from './strategy.js';

export const rolloutStrategies: readonly RolloutStrategy[] = [canaryStrategy, blueGreenStrategy];

/** The strategy the spec asks for; undefined when none is registered (validation reports it). */
export function strategyFor(rollout: Rollout): RolloutStrategy | undefined {
  return rolloutStrategies.find((s) => s.matches(rollout));
}
