import path from 'node:path';
import type { EventSchema } from '../codec/event-schema';
import { loadEventSchemas } from '../codec/schema-loader';

export type CommandOutcome = 'SUCCEEDED' | 'REFUSED';

/** The one reply shape every participant sends on its `<service>.replies` channel. */
export interface CommandReply {
  command: string;
  outcome: CommandOutcome;
  rule: string | null;
  reason: string | null;
}

export const commandReplyType = 'CommandReply';

export function loadCommandReplySchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: path.join(__dirname, 'schemas'),
    namespace: 'dev.deedstream.saga',
    currentVersions: { [commandReplyType]: 1 },
  });
}
