import { quoteGo } from '../../go/index.js';
import type { HealthStatus } from '../types.js';
import { field, findCondition, type Json, list, num, str } from './object-fields.js';

function failMessage(ctr: Json): string {
  const terminated = field(ctr, 'state', 'terminated');
  if (terminated === undefined) return '';
  const message = str(terminated, 'message');
  if (message) return message;
  if (str(terminated, 'reason') === 'OOMKilled') return 'OOMKilled';
  const exitCode = num(terminated, 'exitCode') ?? 0;
  return exitCode !== 0
    ? `container ${quoteGo(str(ctr, 'name') ?? '')} failed with exit code ${exitCode}`
    : '';
}

/** gitops-engine `health_pod.go` semantics (hook pods with Never/OnFailure stay Progressing while running). */
export function podHealth(obj: unknown): HealthStatus {
  // as gitops-engine reads the typed pod: an unset policy is none of the three (the API server sets one)
  const restartPolicy = str(obj, 'spec', 'restartPolicy') ?? '';
  const message = str(obj, 'status', 'message') ?? '';
  const containers = list(obj, 'status', 'containerStatuses');
  if (restartPolicy === 'Always') {
    const waiting = containers
      .map((c) => field(c, 'state', 'waiting'))
      .filter((w) => {
        const reason = str(w, 'reason') ?? '';
        return (
          w !== undefined &&
          (reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff'))
        );
      });
    if (waiting.length > 0) {
      return { status: 'Degraded', message: waiting.map((w) => str(w, 'message') ?? '').join(', ') };
    }
  }
  switch (str(obj, 'status', 'phase')) {
    case 'Pending':
      return { status: 'Progressing', message };
    case 'Succeeded':
      return { status: 'Healthy', message };
    case 'Failed': {
      if (message) return { status: 'Degraded', message };
      for (const c of [...list(obj, 'status', 'initContainerStatuses'), ...containers]) {
        const m = failMessage(c);
        if (m) return { status: 'Degraded', message: m };
      }
      return { status: 'Degraded', message: '' };
    }
    case 'Running': {
      if (restartPolicy === 'OnFailure' || restartPolicy === 'Never')
        return { status: 'Progressing', message };
      if (restartPolicy !== 'Always') return { status: 'Unknown', message };
      if (findCondition(obj, 'Ready')?.status === 'True') return { status: 'Healthy', message };
      if (containers.some((c) => field(c, 'lastState', 'terminated') !== undefined)) {
        return { status: 'Degraded', message };
      }
      return { status: 'Progressing', message };
    }
    default:
      return { status: 'Unknown', message };
  }
}
