/**
 * The objects an Experiment template owns, named, labelled and annotated as Argo's experiment
 * controller makes them (experiments/replicaset.go, service.go): the ReplicaSet `<experiment>-<template>`
 * with its own pod-template hash, and the optional Service selecting its pods. Pure.
 */
import type { KubeObject, OwnerReference } from '../kube/index.js';
import {
  computePodTemplateHash,
  POD_TEMPLATE_HASH_LABEL,
  type PodTemplateSpec,
  podTemplateEqualIgnoreHash,
  type ReplicaSet,
} from '../rollouts/index.js';
import type { Experiment, ExperimentTemplate } from './types.js';

export const EXPERIMENT_NAME_ANNOTATION = 'experiment.argoproj.io/name';
export const EXPERIMENT_TEMPLATE_NAME_ANNOTATION = 'experiment.argoproj.io/template-name';
export const EXPERIMENT_KIND = 'Experiment';

export function experimentOwnerRef(ex: Experiment): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: EXPERIMENT_KIND,
    name: ex.metadata.name ?? '',
    uid: ex.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The template's replica count (Argo's default 1). */
export const templateReplicas = (t: ExperimentTemplate): number => t.replicas ?? 1;

export const templateReplicaSetName = (ex: Experiment, t: ExperimentTemplate): string =>
  `${ex.metadata.name ?? ''}-${t.name}`;

/** Whether `obj` belongs to template `templateName` of `ex` (controller reference and annotations). */
export function isTemplateObject(obj: KubeObject, ex: Experiment, templateName?: string): boolean {
  const owner = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  const annotations = obj.metadata.annotations ?? {};
  return (
    owner !== undefined &&
    owner.uid === ex.metadata.uid &&
    annotations[EXPERIMENT_NAME_ANNOTATION] === ex.metadata.name &&
    (templateName === undefined || annotations[EXPERIMENT_TEMPLATE_NAME_ANNOTATION] === templateName)
  );
}

const templateAnnotations = (ex: Experiment, t: ExperimentTemplate) => ({
  [EXPERIMENT_NAME_ANNOTATION]: ex.metadata.name ?? '',
  [EXPERIMENT_TEMPLATE_NAME_ANNOTATION]: t.name,
});

/** Argo's newReplicaSetFromTemplate with `replicas` pods. */
export function buildTemplateReplicaSet(
  ex: Experiment,
  t: ExperimentTemplate,
  replicas: number,
  collisionCount?: number,
): ReplicaSet {
  const { [POD_TEMPLATE_HASH_LABEL]: _old, ...labels } = t.template?.metadata?.labels ?? {};
  const bare: PodTemplateSpec = {
    ...(t.template ?? {}),
    metadata: { ...(t.template?.metadata ?? {}), labels },
  };
  const hash = computePodTemplateHash(bare, collisionCount);
  const podLabels = { ...labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: templateReplicaSetName(ex, t),
      namespace: ex.metadata.namespace ?? '',
      labels: podLabels,
      annotations: templateAnnotations(ex, t),
      ownerReferences: [experimentOwnerRef(ex)],
    },
    spec: {
      replicas,
      ...(t.minReadySeconds !== undefined && { minReadySeconds: t.minReadySeconds }),
      selector: {
        ...(t.selector ?? {}),
        matchLabels: { ...(t.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
      },
      template: { ...bare, metadata: { ...bare.metadata, labels: podLabels } },
    },
  };
}

/** An existing ReplicaSet is the one we would create (a create that raced our cache). */
export function isSameTemplateReplicaSet(ex: Experiment, wanted: ReplicaSet, existing: ReplicaSet): boolean {
  const t = wanted.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION];
  return (
    isTemplateObject(existing, ex, t) &&
    podTemplateEqualIgnoreHash(existing.spec?.template ?? {}, wanted.spec?.template ?? {})
  );
}

interface ContainerPort {
  readonly containerPort?: number;
  readonly protocol?: string;
  readonly name?: string;
}

/** The Service for a template (`service: {}` or `{name}`), or undefined when its pods declare no port. */
export function buildTemplateService(
  ex: Experiment,
  t: ExperimentTemplate,
  rs: ReplicaSet,
): KubeObject | undefined {
  const containers = (rs.spec?.template?.spec?.containers ?? []) as readonly { ports?: ContainerPort[] }[];
  const ports = containers.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => typeof p.containerPort === 'number')
      .map((p) => ({
        ...(p.name !== undefined && p.name !== '' && { name: p.name }),
        ...(p.protocol !== undefined && { protocol: p.protocol }),
        port: p.containerPort,
        targetPort: p.containerPort,
      })),
  );
  if (ports.length === 0) return undefined;
  const name =
    t.service?.name !== undefined && t.service.name !== '' ? t.service.name : (rs.metadata.name ?? '');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ex.metadata.namespace ?? '',
      annotations: templateAnnotations(ex, t),
      ownerReferences: [experimentOwnerRef(ex)],
    },
    spec: { selector: { ...(rs.metadata.labels ?? {}) }, ports },
  } as KubeObject;
}
