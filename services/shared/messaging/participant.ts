import type { Kysely } from 'kysely';
import type { EventSchema } from '../codec/event-schema';
import type { RetryPolicy } from '../kafka/retry-transient';
import type { ServiceRuntime } from '../service/service-runtime';
import { commandChannel, replyChannel } from './channels';
import { CommandProcessor, type CommandHandler } from './command-processor';
import { loadCommandReplySchemas } from './command-reply';
import { MessageCodecs } from './message-codecs';
import { MessageConsumer } from './message-consumer';
import type { MessagingTables } from './messaging-tables';

/** A service that takes commands on `<service>.commands` and answers on `<service>.replies`. */
export interface Participant {
  processor: CommandProcessor;
  consumer: MessageConsumer;
}

/** Consumer group of a participant's command handler. */
export const participantGroup = (service: string): string => `saga.${service}`;

export async function createParticipant<DB extends MessagingTables>(
  runtime: Pick<ServiceRuntime<DB>, 'service' | 'db' | 'registry' | 'kafka' | 'logger' | 'metrics'>,
  commandSchemas: () => Promise<EventSchema[]>,
  handlers: Readonly<Record<string, CommandHandler>>,
  /** The consumer's retry policy, e.g. consumerRetryPolicy(config); its defaults otherwise. */
  options: { retry?: RetryPolicy } = {},
): Promise<Participant> {
  const { service } = runtime;
  const codecs = await MessageCodecs.load(runtime.registry, [
    { topic: commandChannel(service), load: commandSchemas },
    { topic: replyChannel(service), load: loadCommandReplySchemas },
  ]);
  // The service's tables include MessagingTables; kysely's types are invariant in them.
  const db = runtime.db as unknown as Kysely<MessagingTables>;
  const processor = new CommandProcessor(db, codecs, service, handlers, runtime.logger);
  const consumer = new MessageConsumer(
    {
      kafka: runtime.kafka,
      registry: runtime.registry,
      logger: runtime.logger,
      metrics: runtime.metrics.registry,
    },
    {
      name: processor.consumerName,
      groupId: participantGroup(service),
      topics: [commandChannel(service)],
      handle: (message) => processor.process(message),
      retry: options.retry,
    },
  );
  return { processor, consumer };
}
