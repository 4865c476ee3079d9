import { EventSourcedAggregate } from '../../shared/event-sourcing/aggregate';
import { addressEquals, validAddress, type Address } from './address';
import {
  formatMoney,
  isPositive,
  moneyEquals,
  moneyFromMinor,
  sameCurrency,
  type Money,
} from '../../shared/domain/money';
import {
  normalizedDescription,
  validAreaSqm,
  validBathrooms,
  validBedrooms,
  validPropertyType,
} from './property-details';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import type {
  ListingAgentCard,
  PropertyDetailsUpdatedData,
  PropertyEvent,
} from '../published/property-events';
import { violation } from './property-rules';
import type { PropertyType } from '../published/property-type';
import type { OfferStatus, OfferView, PropertyStatus, PropertyView, ReservationView } from './property-view';

export interface ListPropertyInput {
  readonly address: Address;
  readonly price: Money;
  readonly bedrooms: number;
  readonly bathrooms: number;
  readonly areaSqm: number;
  readonly propertyType: PropertyType;
  readonly description?: string | null;
  /** Who lists it and owns the listing from then on (the caller's identity). */
  readonly ownerId: string;
  /** The agent's card when an agent lists it (see ListingAgentCard). */
  readonly listingAgent?: ListingAgentCard | null;
}

/**
 * Omitted or `null` leaves a field as it is. A blank `description` removes it: it is the
 * only optional detail, so it is the only one that can be cleared.
 */
export interface PropertyDetailsChanges {
  readonly address?: Address | null;
  readonly bedrooms?: number | null;
  readonly bathrooms?: number | null;
  readonly areaSqm?: number | null;
  readonly propertyType?: PropertyType | null;
  readonly description?: string | null;
}

interface OfferState {
  readonly offerId: string;
  readonly buyerId: string;
  readonly amount: Money;
  status: OfferStatus;
}

interface ListingState {
  status: PropertyStatus;
  address: Address;
  price: Money;
  bedrooms: number;
  bathrooms: number;
  areaSqm: number;
  propertyType: PropertyType;
  description: string | null;
  readonly listedAt: string;
  readonly ownerId: string | null;
  readonly listingAgent: ListingAgentCard | null;
  /** A Map keeps insertion order, which is the order the offers arrived in. */
  readonly offers: Map<string, OfferState>;
  acceptedOfferId: string | null;
  reservation: ReservationView | null;
  salePrice: Money | null;
  priceChangeCount: number;
}

function requiredId(value: string, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') violation('invalid-id', `${label} must not be empty`);
  return value;
}

function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Events and views get their own copies, so no caller can reach into the aggregate's state. */
function copyMoney(money: Money): Money {
  return { amountMinor: money.amountMinor, currency: money.currency };
}

function copyAddress(address: Address): Address {
  return { ...address };
}

function copyAgentCard(card: ListingAgentCard): ListingAgentCard {
  const field = (value: EncryptedField | null) => value && { ...value };
  return { ...card, name: { ...card.name }, email: field(card.email), phone: field(card.phone) };
}

function copyOffer(offer: OfferView): OfferState {
  return {
    offerId: offer.offerId,
    buyerId: offer.buyerId,
    amount: copyMoney(offer.amount),
    status: offer.status,
  };
}

/**
 * A property listed for sale, from listing through offers and reservation to sale or
 * withdrawal. Commands check the rules and raise events; `apply` only records facts.
 */
export class Property extends EventSourcedAggregate<PropertyEvent> {
  private state: ListingState | null = null;

  private constructor(id: string) {
    super(id);
  }

  static list(id: string, input: ListPropertyInput, now: Date): Property {
    requiredId(id, 'Property id');
    if (Number.isNaN(now.getTime())) throw new RangeError('Listing time is not a valid date');
    const price = moneyFromMinor(input.price.amountMinor, input.price.currency);
    if (!isPositive(price)) violation('price-not-positive', 'Asking price must be greater than zero');
    const property = new Property(id);
    property.raise({
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
    });
    return property;
  }

  /** A blank aggregate for the repository to load history into. */
  static empty(id: string): Property {
    return new Property(id);
  }

  /** The property after `version` events, from a snapshot of its state then (property-snapshot.ts). */
  static fromSnapshot(id: string, version: number, snapshot: Omit<PropertyView, 'id' | 'version'>): Property {
    const property = new Property(id);
    property.state = {
      status: snapshot.status,
      address: copyAddress(snapshot.address),
      price: copyMoney(snapshot.price),
      bedrooms: snapshot.bedrooms,
      bathrooms: snapshot.bathrooms,
      areaSqm: snapshot.areaSqm,
      propertyType: snapshot.propertyType,
      description: snapshot.description,
      listedAt: snapshot.listedAt,
      ownerId: snapshot.ownerId,
      listingAgent: snapshot.listingAgent && copyAgentCard(snapshot.listingAgent),
      offers: new Map(snapshot.offers.map((offer) => [offer.offerId, copyOffer(offer)])),
      acceptedOfferId: snapshot.acceptedOfferId,
      reservation: snapshot.reservation && { ...snapshot.reservation },
      salePrice: snapshot.salePrice && copyMoney(snapshot.salePrice),
      priceChangeCount: snapshot.priceChangeCount,
    };
    property.restoredAt(version);
    return property;
  }

  static fromHistory(id: string, history: Iterable<PropertyEvent>): Property {
    const property = Property.empty(id);
    property.loadFromHistory(history);
    return property;
  }

  /** `null` until a PropertyListed event has been applied. */
  get status(): PropertyStatus | null {
    return this.state?.status ?? null;
  }

  /** Who owns the listing: null before it is listed, or for a listing made before identities. */
  get ownerId(): string | null {
    return this.state?.ownerId ?? null;
  }

  /** The buyer who made an offer, if the property has that offer. */
  offerBuyer(offerId: string): string | undefined {
    return this.state?.offers.get(offerId)?.buyerId;
  }

  updateDetails(changes: PropertyDetailsChanges): void {
    const state = this.existing();
    if (state.status === 'sold') violation('property-sold', 'A sold property’s details can no longer change');

    const address = changes.address ? validAddress(changes.address) : null;
    const bedrooms = changes.bedrooms ?? null;
    const bathrooms = changes.bathrooms ?? null;
    const areaSqm = changes.areaSqm ?? null;
    const propertyType = changes.propertyType ?? null;
    const descriptionGiven = changes.description !== undefined && changes.description !== null;
    const description = normalizedDescription(changes.description);

    const data: PropertyDetailsUpdatedData = {
      address: address && !addressEquals(address, state.address) ? address : null,
      bedrooms: bedrooms !== null && validBedrooms(bedrooms) !== state.bedrooms ? bedrooms : null,
      bathrooms: bathrooms !== null && validBathrooms(bathrooms) !== state.bathrooms ? bathrooms : null,
      areaSqm: areaSqm !== null && validAreaSqm(areaSqm) !== state.areaSqm ? areaSqm : null,
      propertyType:
        propertyType !== null && validPropertyType(propertyType) !== state.propertyType ? propertyType : null,
      // null already means "unchanged" in the event, so a removal is written as ''.
      description: descriptionGiven && description !== state.description ? (description ?? '') : null,
    };
    if (Object.values(data).every((value) => value === null)) {
      violation('no-changes', 'The update does not change any detail of the property');
    }
    this.raise({ type: 'PropertyDetailsUpdated', data });
  }

  changePrice(newPrice: Money): void {
    const state = this.existing();
    if (state.status !== 'listed') {
      violation(
        'property-not-listed',
        `The price can only change while listed; the property is ${state.status}`,
      );
    }
    const price = this.validAskingPrice(state, newPrice);
    if (moneyEquals(price, state.price)) {
      violation('price-unchanged', `The asking price is already ${formatMoney(price)}`);
    }
    this.raise({ type: 'PriceChanged', data: { previousPrice: copyMoney(state.price), newPrice: price } });
  }

  receiveOffer(offerId: string, buyerId: string, amount: Money): void {
    const state = this.existing();
    this.requireOpenForOffers(state);
    requiredId(offerId, 'Offer id');
    requiredId(buyerId, 'Buyer id');
    const offered = moneyFromMinor(amount.amountMinor, amount.currency);
    if (!isPositive(offered)) violation('offer-amount-not-positive', 'An offer must be greater than zero');
    this.requireListingCurrency(state, offered);
    // Ids stay unique for the property's whole life, closed offers included, so a retried
    // command cannot resurrect an offer and events never refer to two different offers.
    if (state.offers.has(offerId)) violation('duplicate-offer', `Offer ${offerId} was already received`);
    this.raise({ type: 'OfferReceived', data: { offerId, buyerId, amount: offered } });
  }

  acceptOffer(offerId: string): void {
    const state = this.existing();
    this.requireOpenForOffers(state);
    const offer = this.knownOffer(state, offerId);
    if (offer.status === 'rejected' || offer.status === 'withdrawn') {
      violation('offer-not-pending', `Offer ${offerId} was ${offer.status} and can no longer be accepted`);
    }
    if (state.acceptedOfferId !== null) {
      violation('offer-already-accepted', `Offer ${state.acceptedOfferId} is already accepted`);
    }
    this.raise({
      type: 'OfferAccepted',
      data: { offerId, buyerId: offer.buyerId, amount: copyMoney(offer.amount) },
    });
  }

  rejectOffer(offerId: string, reason: string | null): void {
    const state = this.existing();
    this.requireOfferClosable(state, this.knownOffer(state, offerId));
    this.raise({ type: 'OfferRejected', data: { offerId, reason: optionalText(reason) } });
  }

  withdrawOffer(offerId: string): void {
    const state = this.existing();
    this.requireOfferClosable(state, this.knownOffer(state, offerId));
    this.raise({ type: 'OfferWithdrawn', data: { offerId } });
  }

  reserve(transactionId: string, offerId: string, buyerId: string): void {
    const state = this.existing();
    requiredId(transactionId, 'Transaction id');
    if (state.status !== 'listed') {
      violation(
        'property-not-listed',
        `Only a listed property can be reserved; the property is ${state.status}`,
      );
    }
    const offer = this.knownOffer(state, offerId);
    if (state.acceptedOfferId !== offerId) {
      violation('offer-not-accepted', `Offer ${offerId} is not the accepted offer`);
    }
    if (offer.buyerId !== buyerId) {
      violation('offer-not-accepted', `Offer ${offerId} was accepted from another buyer than ${buyerId}`);
    }
    this.raise({ type: 'PropertyReserved', data: { transactionId, offerId, buyerId } });
  }

  releaseReservation(transactionId: string, reason: string): void {
    const state = this.existing();
    const reservation = this.reservationFor(state, transactionId);
    const why = optionalText(reason);
    if (why === null) violation('reason-required', 'Releasing a reservation needs a reason');
    this.raise({
      type: 'ReservationReleased',
      data: { transactionId: reservation.transactionId, reason: why },
    });
  }

  markSold(transactionId: string): void {
    const state = this.existing();
    const reservation = this.reservationFor(state, transactionId);
    // The sale closes at the accepted amount; a renegotiated price is a new offer.
    const offer = this.knownOffer(state, reservation.offerId);
    this.raise({
      type: 'PropertySold',
      data: {
        transactionId,
        offerId: offer.offerId,
        buyerId: offer.buyerId,
        salePrice: copyMoney(offer.amount),
      },
    });
  }

  withdrawListing(reason: string | null): void {
    const state = this.existing();
    if (state.status !== 'listed') {
      violation(
        'property-not-listed',
        `Only a listed property can be withdrawn; the property is ${state.status}`,
      );
    }
    this.raise({ type: 'ListingWithdrawn', data: { reason: optionalText(reason) } });
  }

  relist(price: Money | null): void {
    const state = this.existing();
    if (state.status !== 'withdrawn') {
      violation(
        'property-not-withdrawn',
        `Only a withdrawn listing can be relisted; the property is ${state.status}`,
      );
    }
    const newPrice = price === null ? null : this.validAskingPrice(state, price);
    // Relisting at the current price is recorded as "price kept", so the event says what changed.
    const changed = newPrice !== null && !moneyEquals(newPrice, state.price) ? newPrice : null;
    this.raise({ type: 'PropertyRelisted', data: { price: changed } });
  }

  toView(): PropertyView {
    const state = this.state;
    if (state === null) throw new Error(`Property ${this.id} has no history to show`);
    return {
      id: this.id,
      version: this.version,
      status: state.status,
      address: copyAddress(state.address),
      price: copyMoney(state.price),
      bedrooms: state.bedrooms,
      bathrooms: state.bathrooms,
      areaSqm: state.areaSqm,
      propertyType: state.propertyType,
      description: state.description,
      listedAt: state.listedAt,
      ownerId: state.ownerId,
      listingAgent: state.listingAgent,
      offers: [...state.offers.values()].map(copyOffer),
      acceptedOfferId: state.acceptedOfferId,
      reservation: state.reservation && { ...state.reservation },
      salePrice: state.salePrice && copyMoney(state.salePrice),
      priceChangeCount: state.priceChangeCount,
    };
  }

  // Events are facts already decided, possibly by older code: apply never validates or
  // throws, and tolerates gaps (e.g. an event for an unknown offer) by recording what it can.
  protected apply(event: PropertyEvent): void {
    if (event.type === 'PropertyListed') {
      const { data } = event;
      this.state = {
        status: 'listed',
        address: copyAddress(data.address),
        price: copyMoney(data.price),
        bedrooms: data.bedrooms,
        bathrooms: data.bathrooms,
        areaSqm: data.areaSqm,
        propertyType: data.propertyType,
        description: data.description,
        listedAt: data.listedAt,
        ownerId: data.ownerId,
        listingAgent: data.listingAgent,
        offers: new Map(),
        acceptedOfferId: null,
        reservation: null,
        salePrice: null,
        priceChangeCount: 0,
      };
      return;
    }
    const state = this.state;
    if (state === null) return;

    switch (event.type) {
      case 'PropertyDetailsUpdated': {
        const { data } = event;
        if (data.address !== null) state.address = copyAddress(data.address);
        if (data.bedrooms !== null) state.bedrooms = data.bedrooms;
        if (data.bathrooms !== null) state.bathrooms = data.bathrooms;
        if (data.areaSqm !== null) state.areaSqm = data.areaSqm;
        if (data.propertyType !== null) state.propertyType = data.propertyType;
        if (data.description !== null) state.description = data.description === '' ? null : data.description;
        return;
      }
      case 'PriceChanged':
        state.price = copyMoney(event.data.newPrice);
        state.priceChangeCount += 1;
        return;
      case 'OfferReceived': {
        const { offerId, buyerId, amount } = event.data;
        state.offers.set(offerId, { offerId, buyerId, amount: copyMoney(amount), status: 'pending' });
        return;
      }
      case 'OfferAccepted': {
        const offer = state.offers.get(event.data.offerId);
        if (offer) offer.status = 'accepted';
        state.acceptedOfferId = event.data.offerId;
        return;
      }
      case 'OfferRejected':
        this.closeOffer(state, event.data.offerId, 'rejected');
        return;
      case 'OfferWithdrawn':
        this.closeOffer(state, event.data.offerId, 'withdrawn');
        return;
      case 'PropertyReserved': {
        const { transactionId, offerId, buyerId } = event.data;
        state.status = 'reserved';
        state.reservation = { transactionId, offerId, buyerId };
        return;
      }
      case 'ReservationReleased':
        // The offer stays accepted: the parties may start a new transaction on it, or
        // close it explicitly before another offer is accepted.
        state.status = 'listed';
        state.reservation = null;
        return;
      case 'PropertySold': {
        const { transactionId, offerId, buyerId, salePrice } = event.data;
        state.status = 'sold';
        state.reservation = { transactionId, offerId, buyerId };
        state.salePrice = copyMoney(salePrice);
        return;
      }
      case 'ListingWithdrawn':
        state.status = 'withdrawn';
        return;
      case 'PropertyRelisted': {
        const { price } = event.data;
        state.status = 'listed';
        if (price !== null && !moneyEquals(price, state.price)) {
          state.price = copyMoney(price);
          state.priceChangeCount += 1;
        }
        return;
      }
      default: {
        // Compile-time exhaustiveness only; an unknown type at run time is ignored.
        const _unhandled: never = event;
        return;
      }
    }
  }

  private closeOffer(state: ListingState, offerId: string, status: 'rejected' | 'withdrawn'): void {
    const offer = state.offers.get(offerId);
    if (offer) offer.status = status;
    if (state.acceptedOfferId === offerId) state.acceptedOfferId = null;
  }

  private existing(): ListingState {
    if (this.state === null) violation('property-not-found', `Property ${this.id} has not been listed`);
    return this.state;
  }

  private knownOffer(state: ListingState, offerId: string): OfferState {
    const offer = state.offers.get(offerId);
    if (!offer) violation('offer-not-found', `Property ${this.id} has no offer ${offerId}`);
    return offer;
  }

  private requireOpenForOffers(state: ListingState): void {
    switch (state.status) {
      case 'sold':
        return violation('offer-on-sold-property', `Property ${this.id} is already sold`);
      case 'withdrawn':
        return violation('listing-withdrawn', `The listing of property ${this.id} is withdrawn`);
      case 'reserved':
        return violation('property-reserved', `Property ${this.id} is reserved by a transaction`);
      case 'listed':
        return;
    }
  }

  /**
   * A pending offer can be closed in any status (e.g. a backup offer while reserved); an
   * accepted one only until a transaction has taken it over.
   */
  private requireOfferClosable(state: ListingState, offer: OfferState): void {
    if (offer.status === 'rejected' || offer.status === 'withdrawn') {
      violation('offer-not-pending', `Offer ${offer.offerId} is already ${offer.status}`);
    }
    if (offer.status === 'accepted' && state.status === 'sold') {
      violation('offer-on-sold-property', `Offer ${offer.offerId} completed the sale of property ${this.id}`);
    }
    if (offer.status === 'accepted' && state.status === 'reserved') {
      violation('property-reserved', `Offer ${offer.offerId} is held by a transaction; release it first`);
    }
  }

  private reservationFor(state: ListingState, transactionId: string): ReservationView {
    if (state.status !== 'reserved' || state.reservation === null) {
      violation('not-reserved', `Property ${this.id} is not reserved; it is ${state.status}`);
    }
    if (state.reservation.transactionId !== transactionId) {
      violation(
        'reservation-mismatch',
        `Property ${this.id} is reserved by transaction ${state.reservation.transactionId}, not ${transactionId}`,
      );
    }
    return state.reservation;
  }

  private validAskingPrice(state: ListingState, candidate: Money): Money {
    const price = moneyFromMinor(candidate.amountMinor, candidate.currency);
    if (!isPositive(price)) violation('price-not-positive', 'Asking price must be greater than zero');
    this.requireListingCurrency(state, price);
    return price;
  }

  private requireListingCurrency(state: ListingState, money: Money): void {
    if (!sameCurrency(money, state.price)) {
      violation(
        'currency-mismatch',
        `Property ${this.id} is listed in ${state.price.currency}, not ${money.currency}`,
      );
    }
  }
}
