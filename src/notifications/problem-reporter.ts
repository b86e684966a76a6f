import type { EventRecorder, EventSubject } from '../core/index.js';
import type { Logger } from '../observability/index.js';

export interface ProblemReporterOptions {
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly now: () => number;
  /** The same problem on the same object is reported again after this long. Default 10 minutes. */
  readonly intervalMs?: number;
  /** Problems remembered (oldest forgotten first). Default 10,000. */
  readonly maxRemembered?: number;
}

/**
 * Reports a notification problem of one object (a subscription that hits broken configuration, a template
 * that cannot render) as a Warning Event on the object plus one log line, at most once per interval for the
 * same (object, reason, message): reconciles repeat, reports do not.
 */
export class ProblemReporter {
  private readonly last = new Map<string, number>();

  constructor(private readonly options: ProblemReporterOptions) {}

  /** Returns true when reported, false when the same report was made within the interval. */
  report(
    subject: EventSubject,
    reason: string,
    message: string,
    fields: Readonly<Record<string, unknown>> = {},
  ): boolean {
    const m = subject.metadata;
    const key = [m.uid ?? `${m.namespace ?? ''}/${m.name ?? ''}`, reason, message].join('\u0000');
    const now = this.options.now();
    const seen = this.last.get(key);
    if (seen !== undefined && now - seen < (this.options.intervalMs ?? 600_000)) return false;
    this.last.delete(key);
    if (this.last.size >= (this.options.maxRemembered ?? 10_000)) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    this.last.set(key, now);
    this.options.logger.warn(
      { ...fields, reason, object: m.name, namespace: m.namespace, problem: message },
      'notification problem',
    );
    this.options.events.warning(subject, reason, message);
    return true;
  }
}
