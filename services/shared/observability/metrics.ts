import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per service process, with the metrics every service shares.
 * Service-specific metrics are registered on `registry` by their owners.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly eventsAppended: Counter<'stream_type' | 'event_type'>;
  readonly concurrencyConflicts: Counter<'stream_type'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    // The event-loop delay monitor samples on a timer: prom-client's default (every 10 ms) alone
    // kept an idle process busy at 0.006 of a core; twice a second still shows any stall.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 500 });
    this.httpRequests = new Counter({
      name: 'deedstream_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'deedstream_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.eventsAppended = new Counter({
      name: 'deedstream_events_appended_total',
      help: 'Events appended to the event store',
      labelNames: ['stream_type', 'event_type'],
      registers: [this.registry],
    });
    this.concurrencyConflicts = new Counter({
      name: 'deedstream_concurrency_conflicts_total',
      help: 'Appends refused because the stream had moved on (optimistic concurrency)',
      labelNames: ['stream_type'],
      registers: [this.registry],
    });
  }
}
