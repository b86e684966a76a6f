/**
 * The traffic router contract: how a canary's traffic weight, header routes and mirror routes reach a
 * mesh or an ingress (Argo Rollouts' TrafficRoutingReconciler). One folder per router under
 * `src/rollouts/traffic/<router>/`, registered in `src/rollouts/traffic/registry.ts`.
 *
 * Each router keeps its decision pure (`plan*` functions: current objects in, desired objects or patches
 * out, golden-tested) and does its I/O through the narrow `TrafficClient`. Every call is idempotent: the
 * executor calls `setWeight` with the same weight on every reconcile until the step moves on.
 */
import type { KubeReader, KubeWriter } from '../../kube/index.js';
import type { Rollout, SetHeaderRoute, SetMirrorRoute } from '../types.js';

/** Another destination of an Experiment step's traffic (`status.canary.weights.additional`). */
export interface AdditionalDestination {
  readonly serviceName: string;
  readonly podTemplateHash?: string;
  readonly weight: number;
}

/** The reads and writes a router may make: objects in the Rollout's namespace (or the ones it names). */
export type TrafficClient = Pick<KubeReader, 'get' | 'list'> &
  Pick<KubeWriter, 'create' | 'patch' | 'replace' | 'delete' | 'apply'>;

/** What a router is built from, once per reconcile of a Rollout. */
export interface TrafficRouterContext {
  readonly rollout: Rollout;
  readonly client: TrafficClient;
  /** The field manager for server-side apply and the owner of objects the router creates. */
  readonly fieldManager: string;
  readonly signal?: AbortSignal;
  /**
   * Records a Normal Event on the Rollout for a change a router made (Argo's `UpdatedDestinationRule`).
   * Default: none.
   */
  readonly recordChange?: (reason: string, message: string) => void;
}

export interface TrafficRouter {
  /** The router's name in messages and `status` (Argo's Type(): `Istio`, `SMI`, `Nginx`, `GatewayAPI`). */
  readonly type: string;
  /** Points the canary and stable destinations at the pods of these ReplicaSets (subset-level routing). */
  updateHash(
    canaryHash: string | undefined,
    stableHash: string | undefined,
    additional: readonly AdditionalDestination[],
  ): Promise<void>;
  /** Sends `desiredWeight` percent (of `maxTrafficWeight`) to the canary, the rest to stable. */
  setWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<void>;
  /** Adds (or, with no `match`, removes) the named header route to the canary. */
  setHeaderRoute(route: SetHeaderRoute): Promise<void>;
  /** Adds (or, with no `match`, removes) the named mirror route. */
  setMirrorRoute(route: SetMirrorRoute): Promise<void>;
  /**
   * Whether the router shows `desiredWeight` in place: true / false, or undefined when the router cannot
   * tell (then the weight is taken as set).
   */
  verifyWeight(
    desiredWeight: number,
    additional: readonly AdditionalDestination[],
  ): Promise<boolean | undefined>;
  /** Removes every route listed in `trafficRouting.managedRoutes` (at the end of a rollout and on abort). */
  removeManagedRoutes(): Promise<void>;
}

/** A registered router: recognises its configuration, validates it, and builds the router. */
export interface TrafficRouterFactory {
  /** The `trafficRouting` key (`istio`, `smi`, `nginx`) or plugin name (`argoproj-labs/gatewayAPI`). */
  readonly key: string;
  readonly type: string;
  /** Whether this Rollout's `trafficRouting` uses this router. */
  matches(rollout: Rollout): boolean;
  /** Argo's validation messages for this router's configuration (empty when valid). Pure. */
  validate(rollout: Rollout): readonly string[];
  create(ctx: TrafficRouterContext): TrafficRouter;
}
