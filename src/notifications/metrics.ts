import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the notification engine, registered on the process registry. */
export class NotificationMetrics {
  readonly deliveries: Counter<'service' | 'result'>;
  readonly deliveryLatency: Histogram<'service'>;
  readonly pending: Gauge;
  readonly permanentFailures: Counter<'reason'>;
  readonly configProblems: Gauge<'namespace' | 'configmap' | 'severity'>;
  readonly triggerErrors: Counter<'trigger'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.deliveries = new Counter({
      name: 'slipway_notifications_deliveries_total',
      help: 'Delivery attempts by service type and result (sent, deduplicated, transient, permanent).',
      labelNames: ['service', 'result'] as const,
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'slipway_notifications_delivery_latency_seconds',
      help: 'Time from the decision to notify until the message was delivered.',
      labelNames: ['service'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.pending = new Gauge({
      name: 'slipway_notifications_outbox_pending',
      help: 'Outbox entries waiting for delivery in this process.',
      registers,
    });
    this.permanentFailures = new Counter({
      name: 'slipway_notifications_failures_total',
      help: 'Notifications that failed for good (not retried), by reason (channel_not_found, template, ...).',
      labelNames: ['reason'] as const,
      registers,
    });
    this.configProblems = new Gauge({
      name: 'slipway_notifications_config_problems',
      help: 'Broken or suspicious keys in a notifications ConfigMap (errors are left out, warnings kept).',
      labelNames: ['namespace', 'configmap', 'severity'] as const,
      registers,
    });
    this.triggerErrors = new Counter({
      name: 'slipway_notifications_trigger_errors_total',
      help: 'Trigger conditions whose expression failed to evaluate.',
      labelNames: ['trigger'] as const,
      registers,
    });
  }
}
