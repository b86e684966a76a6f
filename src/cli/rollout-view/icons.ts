import { Color } from './columns.js';

/** The plugin's status icons (pkg/kubectl-argo-rollouts/info). */
export const Icon = {
  waiting: '◷',
  progressing: '◌',
  warning: '⚠',
  unknown: '?',
  ok: '✔',
  bad: '✖',
  paused: '॥',
  neutral: '•',
} as const;

/** The tree's kind icons. */
export const KindIcon = {
  rollout: '⟳',
  revision: '#',
  replicaSet: '⧉',
  pod: '□',
  job: '⊞',
  experiment: 'Σ',
  analysisRun: 'α',
} as const;

/** Colours of icons, tags and run phases, as the plugin's colour mapping (others stay plain). */
export const COLOR_OF: Readonly<Record<string, number>> = {
  [Icon.waiting]: Color.yellow,
  [Icon.progressing]: Color.hiBlue,
  [Icon.warning]: Color.red,
  [Icon.unknown]: Color.yellow,
  [Icon.ok]: Color.green,
  [Icon.bad]: Color.red,
  canary: Color.yellow,
  stable: Color.green,
  active: Color.green,
  preview: Color.hiBlue,
  ping: Color.hiBlue,
  pong: Color.hiBlue,
  Pending: Color.hiBlue,
  Running: Color.hiBlue,
};

export function rolloutIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return Icon.progressing;
    case 'Error':
    case 'InvalidSpec':
      return Icon.warning;
    case 'Paused':
      return Icon.paused;
    case 'Healthy':
      return Icon.ok;
    case 'Degraded':
      return Icon.bad;
    case 'Unknown':
      return Icon.unknown;
    case 'ScaledDown':
      return Icon.neutral;
    default:
      return ' ';
  }
}

export function replicaSetIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return Icon.progressing;
    case 'Healthy':
      return Icon.ok;
    case 'ReplicaFailure':
      return Icon.bad;
    case 'ScaledDown':
      return Icon.neutral;
    default:
      return ' ';
  }
}

export function podIcon(status: string): string {
  if (status.startsWith('Init:')) return Icon.progressing;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return Icon.bad;
  if (status.endsWith('Error') || status.startsWith('Err')) return Icon.warning;
  switch (status) {
    case 'Pending':
    case 'Terminating':
    case 'ContainerCreating':
      return Icon.progressing;
    case 'Running':
    case 'Completed':
      return Icon.ok;
    case 'Failed':
    case 'InvalidImageName':
    case 'CrashLoopBackOff':
      return Icon.bad;
    case 'ImagePullBackOff':
    case 'RegistryUnavailable':
      return Icon.warning;
    case 'Unknown':
      return Icon.unknown;
    default:
      return ' ';
  }
}

/** AnalysisRun phases and job measurements. */
export function analysisIcon(phase: string): string {
  switch (phase) {
    case 'Successful':
      return Icon.ok;
    case 'Inconclusive':
      return Icon.unknown;
    case 'Failed':
      return Icon.bad;
    case 'Error':
      return Icon.warning;
    case 'Running':
      return Icon.progressing;
    case 'Pending':
      return Icon.waiting;
    default:
      return ' ';
  }
}
