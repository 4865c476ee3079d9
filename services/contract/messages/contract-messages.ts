import type { EventSchema } from '../../shared/codec/event-schema';
import { loadEventSchemas } from '../../shared/codec/schema-loader';
import type { Money } from '../../shared/domain/money';

/** The commands the contract service accepts on `contract.commands`. */
export interface CreateContract {
  transactionId: string;
  propertyId: string;
  buyerId: string;
  price: Money;
  expiresAt: string | null;
}

export interface VoidContract {
  transactionId: string;
  reason: string;
}

export const contractCommandVersions = { CreateContract: 1, VoidContract: 1 } as const;
export type ContractCommandType = keyof typeof contractCommandVersions;

export function loadContractCommandSchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: __dirname,
    namespace: 'dev.deedstream.contract',
    currentVersions: contractCommandVersions,
  });
}
