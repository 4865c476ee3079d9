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

/** Every command type with its payload. */
export interface ContractCommands {
  CreateContract: CreateContract;
  VoidContract: VoidContract;
}

export const contractCommandVersions = { CreateContract: 1, VoidContract: 1 } as const satisfies Record<
  keyof ContractCommands,
  number
>;
export type ContractCommandType = keyof typeof contractCommandVersions;

export function loadContractCommandSchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: __dirname,
    namespace: 'dev.deedstream.contract',
    currentVersions: contractCommandVersions,
  });
}
