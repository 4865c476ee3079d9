import path from 'node:path';
import type { EventSchema } from '../codec/event-schema';
import { loadEventSchemas } from '../codec/schema-loader';
import type { DomainEvent } from '../domain/domain-event';
import { payloadReader, type UntypedPayload } from './typed-payload';

export type CommandOutcome = 'SUCCEEDED' | 'REFUSED';

/** The one reply shape every participant sends on its `<service>.replies` channel. */
export interface CommandReply {
  command: string;
  outcome: CommandOutcome;
  rule: string | null;
  reason: string | null;
}

export const commandReplyType = 'CommandReply';

type CommandReplyMessage = DomainEvent<typeof commandReplyType, CommandReply>;
const commandReplyVersions = { [commandReplyType]: 1 } as const;
const commandReplies = payloadReader<CommandReplyMessage>(commandReplyVersions);

/** A decoded `<service>.replies` message as a CommandReply; undefined for any other type. */
export function commandReplyOf(message: UntypedPayload): CommandReply | undefined {
  return commandReplies.read(message)?.data;
}

export function loadCommandReplySchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: path.join(__dirname, 'schemas'),
    namespace: 'dev.deedstream.saga',
    currentVersions: commandReplyVersions,
  });
}
