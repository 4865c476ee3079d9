import type { EventSchema } from '../../shared/codec/event-schema';
import { loadEventSchemas } from '../../shared/codec/schema-loader';
import type { Money } from '../../shared/domain/money';

/** The commands the payment service accepts on `payment.commands` (its published language). */
export interface ReserveFunds {
  transactionId: string;
  buyerId: string;
  amount: Money;
  expiresAt: string | null;
}

export interface ReleaseFunds {
  transactionId: string;
  buyerId: string;
  reason: string;
}

export interface CaptureFunds {
  transactionId: string;
  buyerId: string;
  expiresAt: string | null;
}

/** Every command type with its payload. */
export interface PaymentCommands {
  ReserveFunds: ReserveFunds;
  ReleaseFunds: ReleaseFunds;
  CaptureFunds: CaptureFunds;
}

export const paymentCommandVersions = {
  ReserveFunds: 1,
  ReleaseFunds: 1,
  CaptureFunds: 1,
} as const satisfies Record<keyof PaymentCommands, number>;
export type PaymentCommandType = keyof typeof paymentCommandVersions;

export function loadPaymentCommandSchemas(): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory: __dirname,
    namespace: 'dev.deedstream.payment',
    currentVersions: paymentCommandVersions,
  });
}
