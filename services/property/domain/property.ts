import { Aggregate } from '../../shared/event-sourcing/aggregate';
import type { Decider } from '../../shared/event-sourcing/decider';
import type { PropertyEvent } from '../published/property-events';
import { decideProperty } from './decide-property';
import type { ListPropertyInput, PropertyCommand } from './property-commands';
import {
  evolveProperty,
  initialPropertyState,
  type ListingState,
  type PropertyState,
} from './property-state';
import type { PropertyView } from './property-view';

export type { ListPropertyInput, PropertyCommand, PropertyDetailsChanges } from './property-commands';

/**
 * A property listed for sale, from listing through offers and reservation to sale or
 * withdrawal: its rules (decide-property.ts) and how its events change it (property-state.ts).
 */
export const propertyDecider: Decider<PropertyState, PropertyCommand, PropertyEvent> = {
  initialState: initialPropertyState,
  evolve: evolveProperty,
  decide: decideProperty,
};

/** One property stream between a load and a save. */
export type Property = Aggregate<PropertyState, PropertyCommand, PropertyEvent>;

/** A property with no events yet, for the repository to fold history into. */
export const blankProperty = (id: string): Property => Aggregate.blank(propertyDecider, id);

/** A new listing, its PropertyListed event raised (refused with a DomainError if the input breaks a rule). */
export function listedProperty(id: string, input: ListPropertyInput, now: Date): Property {
  const property = blankProperty(id);
  property.execute({ type: 'ListProperty', input, now });
  return property;
}

/** The property after `version` events, from a snapshot of its listing then (property-snapshot.ts). */
export const restoredProperty = (id: string, version: number, listing: ListingState): Property =>
  // A copy: the caller's object (a parsed snapshot) must not be shared with the aggregate.
  Aggregate.restored(propertyDecider, id, version, { id, listing: structuredClone(listing) });

/** The property as clients see it; throws if it was never listed (callers answer 404 before). */
export function propertyView(property: Property): PropertyView {
  const { listing } = property.state;
  if (listing === null) throw new Error(`Property ${property.id} has no history to show`);
  // A copy: whatever the caller does with the view, the aggregate's state stays as it was.
  return { id: property.id, version: property.version, ...structuredClone(listing) };
}

/** Who owns the listing: null before it is listed, or for a listing made before identities. */
export const ownerOf = (property: Property): string | null => property.state.listing?.ownerId ?? null;

/** The buyer who made an offer, if the property has that offer. */
export const offerBuyerOf = (property: Property, offerId: string): string | undefined =>
  property.state.listing?.offers.find((offer) => offer.offerId === offerId)?.buyerId;
