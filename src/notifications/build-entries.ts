import type { EventSubject } from '../core/index.js';
import type { Logger } from '../observability/index.js';
import type { NotificationMetrics } from './metrics.js';
import type { OutboxEntry } from './outbox-entry.js';
import type { NotificationPlan, PlannedDelivery, PlannedFailure } from './plan.js';
import type { ProblemReporter } from './problem-reporter.js';
import type { Renderer } from './render-pool.js';

/** Renders planned deliveries (off the reconcile path) into outbox entries; render errors become failures. */
export async function buildEntries(
  deliveries: readonly PlannedDelivery[],
  renderer: Renderer,
  createdAt: number,
  options: { readonly markSent?: boolean; readonly from?: string } = {},
): Promise<{ readonly entries: OutboxEntry[]; readonly failures: PlannedFailure[] }> {
  const results = await Promise.all(deliveries.map((d) => renderer.render(d.job)));
  const entries: OutboxEntry[] = [];
  const failures: PlannedFailure[] = [];
  deliveries.forEach((d, i) => {
    const r = results[i];
    if (r === undefined) return;
    const { trigger, service, recipient } = d;
    if (!r.ok) {
      const message = `template '${r.template}': ${r.error}`;
      failures.push({ trigger, service, recipient, reason: 'TemplateError', message });
      return;
    }
    entries.push({
      id: d.id,
      createdAt,
      trigger,
      service,
      recipient,
      config: d.config,
      notification: r.notification,
      ...(options.markSent === true && { markSent: true }),
      ...(options.from !== undefined && { from: options.from }),
    });
  });
  return { entries, failures };
}

export interface ProblemContext {
  readonly reporter: ProblemReporter;
  readonly logger: Logger;
  readonly metrics?: NotificationMetrics;
}

/**
 * Reports what cannot be sent for one object: a Warning Event on it plus one log line per distinct problem,
 * rate-limited by the reporter (so a problem seen on every reconcile is not an Event per reconcile).
 */
export function reportProblems(
  ctx: ProblemContext,
  subject: EventSubject,
  plan: Pick<NotificationPlan, 'failures' | 'evaluationErrors' | 'subscriptionProblems'>,
): void {
  for (const f of plan.failures) {
    const fields = { trigger: f.trigger, service: f.service, recipient: f.recipient, code: f.reason };
    const message =
      f.reason === 'ConfigError'
        ? `subscription to trigger '${f.trigger}' (${f.service}:${f.recipient}) cannot work: ${f.message}`
        : `trigger '${f.trigger}' to ${f.service}:${f.recipient}: ${f.message}; not retried`;
    const reason = f.reason === 'ConfigError' ? 'InvalidNotificationConfig' : 'NotificationFailed';
    if (ctx.reporter.report(subject, reason, message, fields))
      ctx.metrics?.permanentFailures.inc({ reason: f.reason });
  }
  // A condition over a field the object does not have yet (`app.status.operationState` of a new
  // Application) fails to evaluate in upstream too: counted and logged at debug, not an Event.
  for (const e of plan.evaluationErrors) {
    ctx.metrics?.triggerErrors.inc({ trigger: e.trigger });
    ctx.logger.debug(
      { trigger: e.trigger, condition: e.condition, config: e.config, problem: e.error },
      'trigger condition failed to evaluate',
    );
  }
  for (const p of plan.subscriptionProblems) {
    if (p.severity !== 'error') continue;
    ctx.reporter.report(subject, 'InvalidNotificationSubscription', `annotation '${p.key}': ${p.message}`, {
      key: p.key,
      code: p.code,
    });
  }
}
