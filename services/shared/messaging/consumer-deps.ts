import type { ServiceRuntime } from '../service/service-runtime';
import type { MessageConsumerDeps } from './message-consumer';

/** What a service's message consumers need from its runtime. */
export function consumerDeps(runtime: ServiceRuntime): MessageConsumerDeps {
  return {
    kafka: runtime.kafka,
    registry: runtime.registry,
    logger: runtime.logger,
    metrics: runtime.metrics.registry,
    onFatal: (error) => runtime.fatal(error),
  };
}
