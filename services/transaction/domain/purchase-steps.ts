import type { Money } from '../../shared/domain/money';
import type { CaptureFunds, ReleaseFunds, ReserveFunds } from '../../payment/published/payment-messages';
import type { CreateContract, VoidContract } from '../../contract/published/contract-messages';
import type { MarkPropertySold, ReleasePropertyReservation, ReserveProperty } from '../../property/published';
import type { RevertTitle, TransferTitle } from '../../title/published/title-messages';

/** What a purchase is about; fixed when it starts. */
export interface PurchaseTerms {
  transactionId: string;
  propertyId: string;
  offerId: string;
  buyerId: string;
  price: Money;
}

export type Participant = 'payment' | 'property' | 'contract' | 'title';

/** A command for one participant, before it gets a message id and goes into the outbox. */
export interface SagaCommand {
  participant: Participant;
  type: string;
  /** Kafka key: commands about one buyer or one property reach their participant in order. */
  key: string;
  data: object;
}

export type StepName =
  'reserveFunds' | 'reserveProperty' | 'createContract' | 'transferTitle' | 'markSold' | 'captureFunds';

export interface StepDefinition {
  name: StepName;
  forward: (terms: PurchaseTerms, expiresAt: string) => SagaCommand;
  /** Undoes the step; null for steps from the point of no return on. */
  compensate: ((terms: PurchaseTerms, reason: string) => SagaCommand) | null;
  /**
   * After the point of no return (the sale is recorded) a step is never compensated:
   * it is re-sent until it succeeds.
   */
  afterPointOfNoReturn: boolean;
}

const command = <T extends object>(
  participant: Participant,
  type: string,
  key: string,
  data: T,
): SagaCommand => ({
  participant,
  type,
  key,
  data,
});

/** The purchase, step by step, in order. */
export const purchaseSteps: readonly StepDefinition[] = [
  {
    name: 'reserveFunds',
    forward: (t, expiresAt) =>
      command<ReserveFunds>('payment', 'ReserveFunds', t.buyerId, {
        transactionId: t.transactionId,
        buyerId: t.buyerId,
        amount: t.price,
        expiresAt,
      }),
    compensate: (t, reason) =>
      command<ReleaseFunds>('payment', 'ReleaseFunds', t.buyerId, {
        transactionId: t.transactionId,
        buyerId: t.buyerId,
        reason,
      }),
    afterPointOfNoReturn: false,
  },
  {
    name: 'reserveProperty',
    forward: (t, expiresAt) =>
      command<ReserveProperty>('property', 'ReserveProperty', t.propertyId, {
        transactionId: t.transactionId,
        propertyId: t.propertyId,
        offerId: t.offerId,
        buyerId: t.buyerId,
        expiresAt,
      }),
    compensate: (t, reason) =>
      command<ReleasePropertyReservation>('property', 'ReleasePropertyReservation', t.propertyId, {
        transactionId: t.transactionId,
        propertyId: t.propertyId,
        reason,
      }),
    afterPointOfNoReturn: false,
  },
  {
    name: 'createContract',
    forward: (t, expiresAt) =>
      command<CreateContract>('contract', 'CreateContract', t.propertyId, {
        transactionId: t.transactionId,
        propertyId: t.propertyId,
        buyerId: t.buyerId,
        price: t.price,
        expiresAt,
      }),
    compensate: (t, reason) =>
      command<VoidContract>('contract', 'VoidContract', t.propertyId, {
        transactionId: t.transactionId,
        reason,
      }),
    afterPointOfNoReturn: false,
  },
  {
    name: 'transferTitle',
    forward: (t, expiresAt) =>
      command<TransferTitle>('title', 'TransferTitle', t.propertyId, {
        transactionId: t.transactionId,
        propertyId: t.propertyId,
        buyerId: t.buyerId,
        expiresAt,
      }),
    compensate: (t, reason) =>
      command<RevertTitle>('title', 'RevertTitle', t.propertyId, {
        transactionId: t.transactionId,
        propertyId: t.propertyId,
        reason,
      }),
    afterPointOfNoReturn: false,
  },
  {
    // The pivot: once the property is sold, the purchase only moves forward.
    name: 'markSold',
    forward: (t, expiresAt) =>
      command<MarkPropertySold>('property', 'MarkPropertySold', t.propertyId, {
        transactionId: t.transactionId,
        propertyId: t.propertyId,
        expiresAt,
      }),
    compensate: null,
    afterPointOfNoReturn: false,
  },
  {
    name: 'captureFunds',
    forward: (t) =>
      command<CaptureFunds>('payment', 'CaptureFunds', t.buyerId, {
        transactionId: t.transactionId,
        buyerId: t.buyerId,
        expiresAt: null,
      }),
    compensate: null,
    afterPointOfNoReturn: true,
  },
];

export function stepNamed(name: StepName): StepDefinition {
  const step = purchaseSteps.find((s) => s.name === name);
  if (!step) throw new Error(`unknown purchase step ${name}`);
  return step;
}
