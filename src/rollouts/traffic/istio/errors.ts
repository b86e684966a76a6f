/** Errors of the Istio traffic router (documented in docs/errors.md). Messages are Argo's. */
import { SlipwayError } from '../../../errors/index.js';

export const IstioErrorCode = {
  /** The VirtualService's routes cannot carry the split (a route or destination is missing). */
  InvalidRoutes: 'ROLLOUT_TRAFFIC_ROUTER',
  /** The DestinationRule switch waits for a ReplicaSet that will take traffic to be fully available. */
  DestinationRuleDelayed: 'ISTIO_DESTINATION_RULE_DELAYED',
} as const;

export type IstioErrorCode = (typeof IstioErrorCode)[keyof typeof IstioErrorCode];

export class IstioRouterError extends SlipwayError {
  constructor(code: IstioErrorCode, message: string) {
    super(code, message);
  }
}
