import type { Kysely } from 'kysely';
import type { EventSchema } from '../codec/event-schema';
import { tableSubset } from '../db/table-subset';
import type { ServiceRuntime } from '../service/service-runtime';
import { consumerDeps } from './consumer-deps';
import { commandChannel, replyChannel } from './channels';
import { CommandProcessor, type CommandHandler } from './command-processor';
import { loadCommandReplySchemas } from './command-reply';
import { MessageCodecs } from './message-codecs';
import { consumerRetryPolicy, MessageConsumer } from './message-consumer';
import type { MessagingTables } from './messaging-tables';

/** A service that takes commands on `<service>.commands` and answers on `<service>.replies`. */
export interface Participant {
  processor: CommandProcessor;
  consumer: MessageConsumer;
}

/** Consumer group of a participant's command handler. */
export const participantGroup = (service: string): string => `saga.${service}`;

export async function createParticipant<DB extends MessagingTables>(
  runtime: ServiceRuntime,
  db: Kysely<DB>,
  commandSchemas: () => Promise<EventSchema[]>,
  handlers: Readonly<Record<string, CommandHandler>>,
): Promise<Participant> {
  const { service } = runtime;
  const codecs = await MessageCodecs.load(runtime.registry, [
    { topic: commandChannel(service), load: commandSchemas },
    { topic: replyChannel(service), load: loadCommandReplySchemas },
  ]);
  const processor = new CommandProcessor(
    tableSubset<MessagingTables>()(db),
    codecs,
    service,
    handlers,
    runtime.logger,
  );
  const consumer = new MessageConsumer(
    consumerDeps(runtime, [{ topic: commandChannel(service), load: commandSchemas }]),
    {
      name: processor.consumerName,
      groupId: participantGroup(service),
      topics: [commandChannel(service)],
      handle: (message) => processor.process(message),
      retry: consumerRetryPolicy(runtime.config),
    },
  );
  return { processor, consumer };
}
