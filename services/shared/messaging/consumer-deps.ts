import { EventDecoder } from '../codec/event-decoder';
import { groupSettingsOf } from '../service/infrastructure';
import type { StreamSchemas } from '../codec/stream-schemas';
import type { ServiceRuntime } from '../service/service-runtime';
import type { MessageConsumerDeps } from './message-consumer';

/** What a service's message consumers of `streams` need from its runtime. */
export function consumerDeps(
  runtime: ServiceRuntime,
  streams: readonly StreamSchemas[],
): MessageConsumerDeps {
  return {
    kafka: runtime.kafka,
    decoder: new EventDecoder(runtime.registry, streams),
    logger: runtime.logger,
    metrics: runtime.metrics.registry,
    onFatal: (error) => runtime.fatal(error),
    group: groupSettingsOf(runtime.config),
  };
}
