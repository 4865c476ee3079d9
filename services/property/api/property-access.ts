import { forbidden, type Caller } from '../../shared/http/caller';
import { offerBuyerOf, ownerOf, type Property } from '../domain/property';

/** The property service's access rules, by name: each refusal is a 403 naming one. */
export const propertyRules = {
  listAsSellerOrAgent: 'list-as-seller-or-agent',
  listingOwnerOnly: 'listing-owner-only',
  offerAsBuyer: 'offer-as-buyer',
  offerBuyerIsCaller: 'offer-buyer-is-caller',
  offerBuyerOnly: 'offer-buyer-only',
  feedsOpsOnly: 'feeds-ops-only',
} as const;

/** Changing a listing (price, details, withdraw, relist, deciding on offers) is its owner's alone. */
export function ownerOnly(property: Property, caller: Caller, what: string): void {
  const owner = ownerOf(property);
  if (owner === null || owner !== caller.subject) {
    throw forbidden(propertyRules.listingOwnerOnly, `only the listing's owner may ${what}`);
  }
}

/** Withdrawing an offer is the buyer's who made it. */
export function offerBuyerOnly(property: Property, offerId: string, caller: Caller): void {
  const buyer = offerBuyerOf(property, offerId);
  // An unknown offer is the domain's 404 to give; this only refuses someone else's offer.
  if (buyer !== undefined && buyer !== caller.subject) {
    throw forbidden(propertyRules.offerBuyerOnly, 'only the buyer who made an offer may withdraw it');
  }
}
