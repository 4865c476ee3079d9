import { DomainError } from '../../shared/errors/domain-error';

/**
 * Every rule name the property domain can report. They are part of the public contract
 * (the HTTP layer returns them to clients), so they are listed once here and never renamed.
 */
export const propertyRules = [
  'invalid-id',
  'invalid-money',
  'currency-mismatch',
  'invalid-address',
  'invalid-bedrooms',
  'invalid-bathrooms',
  'invalid-area',
  'invalid-property-type',
  'price-not-positive',
  'offer-amount-not-positive',
  'reason-required',
  'property-not-found',
  'property-already-listed',
  'property-not-listed',
  'property-not-withdrawn',
  'property-reserved',
  'property-sold',
  'listing-withdrawn',
  'offer-on-sold-property',
  'price-unchanged',
  'no-changes',
  'duplicate-offer',
  'offer-not-found',
  'offer-not-pending',
  'offer-already-accepted',
  'offer-not-accepted',
  'not-reserved',
  'reservation-mismatch',
] as const;

export type PropertyRule = (typeof propertyRules)[number];

/** Typed so that a misspelt rule name is a compile error rather than a silent new contract. */
export function violation(rule: PropertyRule, message: string): never {
  throw new DomainError(rule, message);
}
