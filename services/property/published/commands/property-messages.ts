import type { EventSchema } from '../../../shared/codec/event-schema';
import { loadEventSchemas } from '../../../shared/codec/schema-loader';

/** The commands the property service accepts on `property.commands` from the purchase saga. */
export interface ReserveProperty {
  transactionId: string;
  propertyId: string;
  offerId: string;
  buyerId: string;
  expiresAt: string | null;
}

export interface ReleasePropertyReservation {
  transactionId: string;
  propertyId: string;
  reason: string;
}

export interface MarkPropertySold {
  transactionId: string;
  propertyId: string;
  expiresAt: string | null;
}

/** Every command type with its payload. */
export interface PropertyCommands {
  ReserveProperty: ReserveProperty;
  ReleasePropertyReservation: ReleasePropertyReservation;
  MarkPropertySold: MarkPropertySold;
}

export const propertyCommandVersions = {
  ReserveProperty: 1,
  ReleasePropertyReservation: 1,
  MarkPropertySold: 1,
} as const satisfies Record<keyof PropertyCommands, number>;
export type PropertyCommandType = keyof typeof propertyCommandVersions;

export function loadPropertyCommandSchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: __dirname,
    namespace: 'dev.deedstream.property.commands',
    currentVersions: propertyCommandVersions,
  });
}
