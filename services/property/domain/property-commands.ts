import type { Money } from '../../shared/domain/money';
import type { ListingAgentCard, PropertyListedData } from '../published/property-events';
import type { PropertyType } from '../published/property-type';
import type { Address } from './address';

/** What a listing states: PropertyListed's facts but the time (the caller's clock) and who lists it. */
export interface ListPropertyInput extends Pick<
  PropertyListedData,
  'address' | 'price' | 'bedrooms' | 'bathrooms' | 'areaSqm' | 'propertyType'
> {
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

/**
 * Everything that can be asked of a property. The clock is read by the caller (`listedAt`),
 * so deciding stays a pure function.
 */
export type PropertyCommand =
  | { readonly type: 'ListProperty'; readonly input: ListPropertyInput; readonly now: Date }
  | { readonly type: 'UpdateDetails'; readonly changes: PropertyDetailsChanges }
  | { readonly type: 'ChangePrice'; readonly price: Money }
  | {
      readonly type: 'ReceiveOffer';
      readonly offerId: string;
      readonly buyerId: string;
      readonly amount: Money;
    }
  | { readonly type: 'AcceptOffer'; readonly offerId: string }
  | { readonly type: 'RejectOffer'; readonly offerId: string; readonly reason: string | null }
  | { readonly type: 'WithdrawOffer'; readonly offerId: string }
  | {
      readonly type: 'Reserve';
      readonly transactionId: string;
      readonly offerId: string;
      readonly buyerId: string;
    }
  | { readonly type: 'ReleaseReservation'; readonly transactionId: string; readonly reason: string }
  | { readonly type: 'MarkSold'; readonly transactionId: string }
  | { readonly type: 'WithdrawListing'; readonly reason: string | null }
  | { readonly type: 'Relist'; readonly price: Money | null };
