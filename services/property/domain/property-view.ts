import type { Address } from './address';
import type { Money } from '../../shared/domain/money';
import type { PropertyType } from '../published/property-type';

import type { ListingAgentCard } from '../published/property-events';
import type { OfferStatus, PropertyStatus } from '../published/property-status';

export type { OfferStatus, PropertyStatus };

export interface OfferView {
  readonly offerId: string;
  readonly buyerId: string;
  readonly amount: Money;
  readonly status: OfferStatus;
}

/** The transaction holding the property; after a sale it names the one that completed. */
export interface ReservationView {
  readonly transactionId: string;
  readonly offerId: string;
  readonly buyerId: string;
}

/**
 * A plain, detached copy of the aggregate's state. There is no `updatedAt`: apart from
 * `listedAt`, events carry no time, and the store's `occurredAt` is what projections should use.
 */
export interface PropertyView {
  readonly id: string;
  readonly version: number;
  readonly status: PropertyStatus;
  readonly address: Address;
  readonly price: Money;
  readonly bedrooms: number;
  readonly bathrooms: number;
  readonly areaSqm: number;
  readonly propertyType: PropertyType;
  readonly description: string | null;
  readonly listedAt: string;
  /** Who owns the listing (an identity's subject); null for a listing made before identities existed. */
  readonly ownerId: string | null;
  readonly listingAgent: ListingAgentCard | null;
  /** In the order they were received. */
  readonly offers: readonly OfferView[];
  readonly acceptedOfferId: string | null;
  readonly reservation: ReservationView | null;
  readonly salePrice: Money | null;
  /** How many times the asking price changed after listing, relisting at a new price included. */
  readonly priceChangeCount: number;
}
