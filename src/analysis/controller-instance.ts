/**
 * Argo Rollouts' controller instance ids (`--instance-id`): a controller started with an id runs only
 * the Rollouts, AnalysisRuns, AnalysisTemplates and Experiments labelled with it; a controller without
 * one runs only the objects without the label. Objects a Rollout creates carry its label, so they stay
 * with the controller that runs the Rollout.
 */

export const CONTROLLER_INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

/** The label selector of the objects a controller with this instance id runs (Argo's InstanceIDRequirement). */
export function instanceIdSelector(instanceId: string | undefined): string {
  return instanceId === undefined || instanceId === ''
    ? `!${CONTROLLER_INSTANCE_ID_LABEL}`
    : `${CONTROLLER_INSTANCE_ID_LABEL}=${instanceId}`;
}

/** The instance-id label an object created for `owner` carries: the owner's, if it has one. */
export function instanceIdLabels(owner: {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
}): Record<string, string> {
  const id = owner.metadata?.labels?.[CONTROLLER_INSTANCE_ID_LABEL];
  return id === undefined || id === '' ? {} : { [CONTROLLER_INSTANCE_ID_LABEL]: id };
}
