import type { Rollout } from '../../types.js';
import type { TrafficRouterContext, TrafficRouterFactory } from '../router.js';
import { TrafficRouterError } from '../traffic-router-error.js';
import {
  DEFAULT_TRAFFIC_SPLIT_VERSION,
  isTrafficSplitVersion,
  unsupportedVersionMessage,
} from './plan-traffic-split.js';
import { SMI_TYPE, SmiRouter } from './smi-router.js';

export {
  DEFAULT_TRAFFIC_SPLIT_VERSION,
  desiredTrafficSplit,
  desiredTrafficSplitSpec,
  isOwnedBy,
  notOwnedMessage,
  planTrafficSplit,
  planTrafficSplitPatch,
  rootServiceName,
  TRAFFIC_SPLIT_GROUP,
  TRAFFIC_SPLIT_VERSIONS,
  type TrafficSplit,
  type TrafficSplitAction,
  type TrafficSplitBackend,
  type TrafficSplitSpec,
  type TrafficSplitVersion,
  trafficSplitName,
  unsupportedVersionMessage,
} from './plan-traffic-split.js';
export { SMI_TYPE, SmiRouter } from './smi-router.js';

export interface SmiRouterFactoryOptions {
  /** The TrafficSplit apiVersion to write (Argo's `--traffic-split-api-version`). Default `v1alpha1`. */
  readonly trafficSplitApiVersion?: string;
}

/**
 * The SMI router factory. An unknown TrafficSplit version is refused when the factory is built, with
 * Argo's message (Argo refuses it when it builds the reconciler).
 */
export function createSmiRouterFactory(options: SmiRouterFactoryOptions = {}): TrafficRouterFactory {
  const version = options.trafficSplitApiVersion ?? DEFAULT_TRAFFIC_SPLIT_VERSION;
  if (!isTrafficSplitVersion(version)) throw new TrafficRouterError(unsupportedVersionMessage(version));
  return {
    key: 'smi',
    type: SMI_TYPE,
    matches: (rollout: Rollout) => rollout.spec?.strategy?.canary?.trafficRouting?.smi !== undefined,
    // Argo validates SMI only through the generic checks (stable and canary Services required, no
    // maxTrafficWeight, no header or mirror routes): spec/validation.ts has those.
    validate: () => [],
    create: (ctx: TrafficRouterContext) =>
      new SmiRouter({
        rollout: ctx.rollout,
        client: ctx.client,
        fieldManager: ctx.fieldManager,
        version,
        ...(ctx.signal && { signal: ctx.signal }),
      }),
  };
}

export const smiRouterFactory: TrafficRouterFactory = createSmiRouterFactory();
