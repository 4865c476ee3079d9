import {
  formatMoney,
  isPositive,
  moneyEquals,
  moneyFromMinor,
  sameCurrency,
  type Money,
} from '../../shared/domain/money';
import type { PropertyDetailsUpdatedData, PropertyEvent } from '../published/property-events';
import { addressEquals, validAddress } from './address';
import type { ListPropertyInput, PropertyCommand, PropertyDetailsChanges } from './property-commands';
import {
  normalizedDescription,
  validAreaSqm,
  validBathrooms,
  validBedrooms,
  validPropertyType,
} from './property-details';
import { violation } from './property-rules';
import type { ListingState, PropertyState } from './property-state';
import type { OfferView, ReservationView } from './property-view';

/**
 * The property's rules: the events a command raises in a state, or a DomainError naming the
 * rule it breaks (property-rules.ts). Pure: the same state and command always decide alike.
 */
export function decideProperty(command: PropertyCommand, state: PropertyState): readonly PropertyEvent[] {
  if (command.type === 'ListProperty') return [listed(state, command.input, command.now)];
  const listing = state.listing;
  if (listing === null) violation('property-not-found', `Property ${state.id} has not been listed`);
  const on = { id: state.id, ...listing };
  switch (command.type) {
    case 'UpdateDetails':
      return [detailsUpdated(on, command.changes)];
    case 'ChangePrice':
      return [priceChanged(on, command.price)];
    case 'ReceiveOffer':
      return [offerReceived(on, command.offerId, command.buyerId, command.amount)];
    case 'AcceptOffer':
      return [offerAccepted(on, command.offerId)];
    case 'RejectOffer':
      requireOfferClosable(on, knownOffer(on, command.offerId));
      return [
        { type: 'OfferRejected', data: { offerId: command.offerId, reason: optionalText(command.reason) } },
      ];
    case 'WithdrawOffer':
      requireOfferClosable(on, knownOffer(on, command.offerId));
      return [{ type: 'OfferWithdrawn', data: { offerId: command.offerId } }];
    case 'Reserve':
      return [reserved(on, command.transactionId, command.offerId, command.buyerId)];
    case 'ReleaseReservation':
      return [reservationReleased(on, command.transactionId, command.reason)];
    case 'MarkSold':
      return [sold(on, command.transactionId)];
    case 'WithdrawListing':
      requireStatus(on, 'listed', 'property-not-listed', 'Only a listed property can be withdrawn');
      return [{ type: 'ListingWithdrawn', data: { reason: optionalText(command.reason) } }];
    case 'Relist':
      return [relisted(on, command.price)];
  }
}

/** A listing and the id of its stream, as the rules below name it in their messages. */
type Listing = ListingState & { readonly id: string };

function listed(state: PropertyState, input: ListPropertyInput, now: Date): PropertyEvent {
  requiredId(state.id, 'Property id');
  if (state.listing !== null) violation('property-already-listed', `Property ${state.id} is already listed`);
  if (Number.isNaN(now.getTime())) throw new RangeError('Listing time is not a valid date');
  const price = moneyFromMinor(input.price.amountMinor, input.price.currency);
  if (!isPositive(price)) violation('price-not-positive', 'Asking price must be greater than zero');
  return {
    type: 'PropertyListed',
    data: {
      address: validAddress(input.address),
      price,
      bedrooms: validBedrooms(input.bedrooms),
      bathrooms: validBathrooms(input.bathrooms),
      areaSqm: validAreaSqm(input.areaSqm),
      propertyType: validPropertyType(input.propertyType),
      description: normalizedDescription(input.description),
      listedAt: now.toISOString(),
      ownerId: requiredId(input.ownerId, 'Owner id'),
      listingAgent: input.listingAgent ?? null,
    },
  };
}

function detailsUpdated(listing: Listing, changes: PropertyDetailsChanges): PropertyEvent {
  if (listing.status === 'sold') violation('property-sold', 'A sold property’s details can no longer change');
  const address = changes.address ? validAddress(changes.address) : null;
  const { bedrooms = null, bathrooms = null, areaSqm = null, propertyType = null } = changes;
  const descriptionGiven = changes.description !== undefined && changes.description !== null;
  const description = normalizedDescription(changes.description);
  const data: PropertyDetailsUpdatedData = {
    address: address && !addressEquals(address, listing.address) ? address : null,
    bedrooms: bedrooms !== null && validBedrooms(bedrooms) !== listing.bedrooms ? bedrooms : null,
    bathrooms: bathrooms !== null && validBathrooms(bathrooms) !== listing.bathrooms ? bathrooms : null,
    areaSqm: areaSqm !== null && validAreaSqm(areaSqm) !== listing.areaSqm ? areaSqm : null,
    propertyType:
      propertyType !== null && validPropertyType(propertyType) !== listing.propertyType ? propertyType : null,
    // null already means "unchanged" in the event, so a removal is written as ''.
    description: descriptionGiven && description !== listing.description ? (description ?? '') : null,
  };
  if (Object.values(data).every((value) => value === null)) {
    violation('no-changes', 'The update does not change any detail of the property');
  }
  return { type: 'PropertyDetailsUpdated', data };
}

function priceChanged(listing: Listing, newPrice: Money): PropertyEvent {
  requireStatus(listing, 'listed', 'property-not-listed', 'The price can only change while listed');
  const price = validAskingPrice(listing, newPrice);
  if (moneyEquals(price, listing.price)) {
    violation('price-unchanged', `The asking price is already ${formatMoney(price)}`);
  }
  return { type: 'PriceChanged', data: { previousPrice: { ...listing.price }, newPrice: price } };
}

function offerReceived(listing: Listing, offerId: string, buyerId: string, amount: Money): PropertyEvent {
  requireOpenForOffers(listing);
  requiredId(offerId, 'Offer id');
  requiredId(buyerId, 'Buyer id');
  const offered = moneyFromMinor(amount.amountMinor, amount.currency);
  if (!isPositive(offered)) violation('offer-amount-not-positive', 'An offer must be greater than zero');
  requireListingCurrency(listing, offered);
  // Ids stay unique for the property's whole life, closed offers included, so a retried
  // command cannot resurrect an offer and events never refer to two different offers.
  if (listing.offers.some((offer) => offer.offerId === offerId))
    violation('duplicate-offer', `Offer ${offerId} was already received`);
  return { type: 'OfferReceived', data: { offerId, buyerId, amount: offered } };
}

function offerAccepted(listing: Listing, offerId: string): PropertyEvent {
  requireOpenForOffers(listing);
  const offer = knownOffer(listing, offerId);
  if (offer.status === 'rejected' || offer.status === 'withdrawn') {
    violation('offer-not-pending', `Offer ${offerId} was ${offer.status} and can no longer be accepted`);
  }
  if (listing.acceptedOfferId !== null) {
    violation('offer-already-accepted', `Offer ${listing.acceptedOfferId} is already accepted`);
  }
  return { type: 'OfferAccepted', data: { offerId, buyerId: offer.buyerId, amount: { ...offer.amount } } };
}

function reserved(listing: Listing, transactionId: string, offerId: string, buyerId: string): PropertyEvent {
  requiredId(transactionId, 'Transaction id');
  requireStatus(listing, 'listed', 'property-not-listed', 'Only a listed property can be reserved');
  const offer = knownOffer(listing, offerId);
  if (listing.acceptedOfferId !== offerId) {
    violation('offer-not-accepted', `Offer ${offerId} is not the accepted offer`);
  }
  if (offer.buyerId !== buyerId) {
    violation('offer-not-accepted', `Offer ${offerId} was accepted from another buyer than ${buyerId}`);
  }
  return { type: 'PropertyReserved', data: { transactionId, offerId, buyerId } };
}

function reservationReleased(listing: Listing, transactionId: string, reason: string): PropertyEvent {
  const reservation = reservationFor(listing, transactionId);
  const why = optionalText(reason);
  if (why === null) violation('reason-required', 'Releasing a reservation needs a reason');
  return { type: 'ReservationReleased', data: { transactionId: reservation.transactionId, reason: why } };
}

function sold(listing: Listing, transactionId: string): PropertyEvent {
  const reservation = reservationFor(listing, transactionId);
  // The sale closes at the accepted amount; a renegotiated price is a new offer.
  const offer = knownOffer(listing, reservation.offerId);
  return {
    type: 'PropertySold',
    data: { transactionId, offerId: offer.offerId, buyerId: offer.buyerId, salePrice: { ...offer.amount } },
  };
}

function relisted(listing: Listing, price: Money | null): PropertyEvent {
  requireStatus(listing, 'withdrawn', 'property-not-withdrawn', 'Only a withdrawn listing can be relisted');
  const newPrice = price === null ? null : validAskingPrice(listing, price);
  // Relisting at the current price is recorded as "price kept", so the event says what changed.
  const changed = newPrice !== null && !moneyEquals(newPrice, listing.price) ? newPrice : null;
  return { type: 'PropertyRelisted', data: { price: changed } };
}

function requiredId(value: string, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') violation('invalid-id', `${label} must not be empty`);
  return value;
}

function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function requireStatus(
  listing: Listing,
  status: 'listed' | 'withdrawn',
  rule: 'property-not-listed' | 'property-not-withdrawn',
  what: string,
): void {
  if (listing.status !== status) violation(rule, `${what}; the property is ${listing.status}`);
}

function knownOffer(listing: Listing, offerId: string): OfferView {
  const offer = listing.offers.find((candidate) => candidate.offerId === offerId);
  if (!offer) violation('offer-not-found', `Property ${listing.id} has no offer ${offerId}`);
  return offer;
}

function requireOpenForOffers(listing: Listing): void {
  switch (listing.status) {
    case 'sold':
      return violation('offer-on-sold-property', `Property ${listing.id} is already sold`);
    case 'withdrawn':
      return violation('listing-withdrawn', `The listing of property ${listing.id} is withdrawn`);
    case 'reserved':
      return violation('property-reserved', `Property ${listing.id} is reserved by a transaction`);
    case 'listed':
      return;
  }
}

/**
 * A pending offer can be closed in any status (e.g. a backup offer while reserved); an
 * accepted one only until a transaction has taken it over.
 */
function requireOfferClosable(listing: Listing, offer: OfferView): void {
  if (offer.status === 'rejected' || offer.status === 'withdrawn') {
    violation('offer-not-pending', `Offer ${offer.offerId} is already ${offer.status}`);
  }
  if (offer.status === 'accepted' && listing.status === 'sold') {
    violation(
      'offer-on-sold-property',
      `Offer ${offer.offerId} completed the sale of property ${listing.id}`,
    );
  }
  if (offer.status === 'accepted' && listing.status === 'reserved') {
    violation('property-reserved', `Offer ${offer.offerId} is held by a transaction; release it first`);
  }
}

function reservationFor(listing: Listing, transactionId: string): ReservationView {
  if (listing.status !== 'reserved' || listing.reservation === null) {
    violation('not-reserved', `Property ${listing.id} is not reserved; it is ${listing.status}`);
  }
  if (listing.reservation.transactionId !== transactionId) {
    violation(
      'reservation-mismatch',
      `Property ${listing.id} is reserved by transaction ${listing.reservation.transactionId}, not ${transactionId}`,
    );
  }
  return listing.reservation;
}

function validAskingPrice(listing: Listing, candidate: Money): Money {
  const price = moneyFromMinor(candidate.amountMinor, candidate.currency);
  if (!isPositive(price)) violation('price-not-positive', 'Asking price must be greater than zero');
  requireListingCurrency(listing, price);
  return price;
}

function requireListingCurrency(listing: Listing, money: Money): void {
  if (!sameCurrency(money, listing.price)) {
    violation(
      'currency-mismatch',
      `Property ${listing.id} is listed in ${listing.price.currency}, not ${money.currency}`,
    );
  }
}
