import { DomainError } from '../errors/domain-error';

type MoneyRule = 'invalid-money' | 'currency-mismatch';
function violation(rule: MoneyRule, message: string): never {
  throw new DomainError(rule, message);
}

/**
 * An amount in integer minor units, so that sums and comparisons are exact. Every currency
 * is assumed to have two minor digits (cents); that holds for the markets served today.
 */
export interface Money {
  readonly amountMinor: number;
  /** ISO 4217 code, three uppercase letters. */
  readonly currency: string;
}

const MINOR_UNITS_PER_MAJOR = 100;

/**
 * 10^15 cents, ten trillion in major units: far above any property, and well inside the
 * integers that JSON numbers and the Avro long codec carry exactly (avsc refuses 2^53 - 1).
 */
export const maxAmountMinor = 1_000_000_000_000_000;

const CURRENCY_CODE = /^[A-Z]{3}$/;

function requireCurrency(currency: string): void {
  if (typeof currency !== 'string' || !CURRENCY_CODE.test(currency)) {
    violation(
      'invalid-money',
      `Currency must be an ISO 4217 code of three uppercase letters, got "${currency}"`,
    );
  }
}

/**
 * Validates and copies: callers pass objects built from requests, and a copy keeps later
 * mutation of theirs out of events already raised.
 */
export function moneyFromMinor(amountMinor: number, currency: string): Money {
  requireCurrency(currency);
  if (!Number.isInteger(amountMinor) || amountMinor < 0 || amountMinor > maxAmountMinor) {
    violation(
      'invalid-money',
      `Amount must be a whole number of minor units from 0 to ${maxAmountMinor}, got ${amountMinor}`,
    );
  }
  // Normalises -0, which would otherwise compare unequal to 0 in deep equality.
  return { amountMinor: amountMinor === 0 ? 0 : amountMinor, currency };
}

export function moneyFromMajor(amount: number, currency: string): Money {
  if (!Number.isFinite(amount) || amount < 0) {
    violation('invalid-money', `Amount must be a finite, non-negative number, got ${amount}`);
  }
  // amount * 100 is inexact for values such as 19.99, so round, then check that the
  // rounding only absorbed floating-point noise and not a third decimal: n / 100 is the
  // closest double to the decimal n/100, exactly as the literal the caller wrote was.
  const amountMinor = Math.round(amount * MINOR_UNITS_PER_MAJOR);
  if (amountMinor / MINOR_UNITS_PER_MAJOR !== amount) {
    violation('invalid-money', `Amount must have at most two decimals, got ${amount}`);
  }
  return moneyFromMinor(amountMinor, currency);
}

export function toMajor(money: Money): number {
  return money.amountMinor / MINOR_UNITS_PER_MAJOR;
}

/** Money as read models and APIs show it: the amount in major units, with its currency. */
export interface MajorMoney {
  amount: number;
  currency: string;
}

export function toMajorMoney(money: Money): MajorMoney {
  return { amount: toMajor(money), currency: money.currency };
}

export function sameCurrency(a: Money, b: Money): boolean {
  return a.currency === b.currency;
}

export function moneyEquals(a: Money, b: Money): boolean {
  return sameCurrency(a, b) && a.amountMinor === b.amountMinor;
}

/** Orders two amounts; amounts in different currencies have no order without a rate. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  if (!sameCurrency(a, b)) {
    violation('currency-mismatch', `Cannot compare ${a.currency} with ${b.currency}`);
  }
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function isPositive(money: Money): boolean {
  return money.amountMinor > 0;
}

export function formatMoney(money: Money): string {
  return `${toMajor(money).toFixed(2)} ${money.currency}`;
}
