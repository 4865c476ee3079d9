import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { stuckPartitionsOf, type StuckPartitions } from '../kafka/stuck-partitions';

/** Prometheus metrics of the projection runners of one process. */
export class ProjectionMetrics {
  readonly events: Counter<'projection' | 'outcome'>;
  readonly batchSize: Histogram<'projection'>;
  readonly batchSeconds: Histogram<'projection'>;
  readonly retries: Counter<'projection'>;
  readonly parked: Counter<'projection'>;
  readonly lag: Gauge<'projection' | 'topic' | 'partition'>;
  /** Shared with the message consumers of the same registry (deedstream_consumer_*stuck*). */
  readonly stuckPartitions: StuckPartitions;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: 'deedstream_projection_events_total',
      help: 'Events seen by a projection: applied, duplicate (version already applied) or parked (DLQ)',
      labelNames: ['projection', 'outcome'],
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: 'deedstream_projection_batch_size',
      help: 'Messages per projected batch',
      labelNames: ['projection'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000],
      registers: [registry],
    });
    this.batchSeconds = new Histogram({
      name: 'deedstream_projection_batch_seconds',
      help: 'Time to decode, apply and write one batch (retries included)',
      labelNames: ['projection'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'deedstream_projection_retries_total',
      help: 'Batch attempts retried after a transient failure (Elasticsearch down, 429, timeout)',
      labelNames: ['projection'],
      registers: [registry],
    });
    this.parked = new Counter({
      name: 'deedstream_projection_dlq_total',
      help: 'Messages parked in the dead-letter topic',
      labelNames: ['projection'],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'deedstream_projection_consumer_lag',
      help: 'Messages behind the end of the partition after the last batch',
      labelNames: ['projection', 'topic', 'partition'],
      registers: [registry],
    });
    this.stuckPartitions = stuckPartitionsOf(registry);
  }
}
