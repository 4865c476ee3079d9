import type { EventSchema } from '../../shared/codec/event-schema';
import { loadEventSchemas } from '../../shared/codec/schema-loader';

/** The commands the title registry accepts on `title.commands`. */
export interface TransferTitle {
  transactionId: string;
  propertyId: string;
  buyerId: string;
  expiresAt: string | null;
}

export interface RevertTitle {
  transactionId: string;
  propertyId: string;
  reason: string;
}

/** Every command type with its payload. */
export interface TitleCommands {
  TransferTitle: TransferTitle;
  RevertTitle: RevertTitle;
}

export const titleCommandVersions = { TransferTitle: 1, RevertTitle: 1 } as const satisfies Record<
  keyof TitleCommands,
  number
>;
export type TitleCommandType = keyof typeof titleCommandVersions;

export function loadTitleCommandSchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: __dirname,
    namespace: 'dev.deedstream.title',
    currentVersions: titleCommandVersions,
  });
}
