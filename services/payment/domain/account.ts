import { DomainError } from '../../shared/errors/domain-error';
import type { Money } from '../../shared/domain/money';

/** A buyer's money at the platform: what they deposited and how much of it is set aside. */
export interface Account {
  buyerId: string;
  currency: string;
  balanceMinor: number;
  reservedMinor: number;
}

export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'CAPTURED';

/** Funds set aside for one purchase; its row also remembers a release that came first. */
export interface FundsReservation {
  transactionId: string;
  buyerId: string;
  amountMinor: number;
  currency: string;
  status: ReservationStatus;
}

export const availableMinor = (account: Account): number => account.balanceMinor - account.reservedMinor;

/** The invariant: the available balance never goes negative. */
export function reserve(account: Account, amount: Money): Account {
  if (amount.currency !== account.currency) {
    throw new DomainError(
      'currency-mismatch',
      `Account ${account.buyerId} holds ${account.currency}, the purchase is in ${amount.currency}`,
    );
  }
  if (amount.amountMinor > availableMinor(account)) {
    throw new DomainError(
      'insufficient-funds',
      `Account ${account.buyerId} has ${availableMinor(account)} ${account.currency} minor units available, ${amount.amountMinor} needed`,
    );
  }
  return { ...account, reservedMinor: account.reservedMinor + amount.amountMinor };
}

export function release(account: Account, reservation: FundsReservation): Account {
  return { ...account, reservedMinor: account.reservedMinor - reservation.amountMinor };
}

export function capture(account: Account, reservation: FundsReservation): Account {
  return {
    ...account,
    balanceMinor: account.balanceMinor - reservation.amountMinor,
    reservedMinor: account.reservedMinor - reservation.amountMinor,
  };
}
