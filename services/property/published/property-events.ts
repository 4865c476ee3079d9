import { payloadReader } from '../../shared/messaging/typed-payload';
import type { DomainEvent } from '../../shared/domain/domain-event';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import type { Address } from './address';
import type { Money } from '../../shared/domain/money';
import type { PropertyType } from './property-type';

// Payloads are stored as jsonb and encoded as Avro, so they hold plain JSON values only,
// and an absent value is always `null`: JSON drops `undefined`, and Avro has no such value.

/** The listing agent's card, copied into the listing (personal fields encrypted with the agent's key). */
export interface ListingAgentCard {
  readonly agentId: string;
  readonly name: EncryptedField;
  readonly email: EncryptedField | null;
  readonly phone: EncryptedField | null;
  readonly agency: string | null;
}

/** PropertyListed as written today (schema v2). */
export interface PropertyListedData {
  readonly address: Address;
  readonly price: Money;
  readonly bedrooms: number;
  readonly bathrooms: number;
  readonly areaSqm: number;
  readonly propertyType: PropertyType;
  readonly description: string | null;
  /** ISO 8601 UTC; the only clock reading in the stream, so replays never consult the clock. */
  readonly listedAt: string;
  /** The seller's or agent's identity (token subject); null only for listings made before identities existed. */
  readonly ownerId: string | null;
  /** Set when an agent listed it. */
  readonly listingAgent: ListingAgentCard | null;
}

/** PropertyListed as v1 wrote it: kept for the upcaster and the golden fixtures. */
export interface PropertyListedV1Data extends Omit<PropertyListedData, 'ownerId' | 'listingAgent'> {
  readonly propertyId: string;
}

/**
 * `null` means "unchanged". Only the fields that really changed are set. Because null is
 * taken, a removed description is recorded as the empty string.
 */
export interface PropertyDetailsUpdatedData {
  readonly address: Address | null;
  readonly bedrooms: number | null;
  readonly bathrooms: number | null;
  readonly areaSqm: number | null;
  readonly propertyType: PropertyType | null;
  readonly description: string | null;
}

export interface PriceChangedData {
  readonly previousPrice: Money;
  readonly newPrice: Money;
}

export interface OfferReceivedData {
  readonly offerId: string;
  readonly buyerId: string;
  readonly amount: Money;
}

export interface OfferAcceptedData {
  readonly offerId: string;
  readonly buyerId: string;
  readonly amount: Money;
}

export interface OfferRejectedData {
  readonly offerId: string;
  readonly reason: string | null;
}

export interface OfferWithdrawnData {
  readonly offerId: string;
}

export interface PropertyReservedData {
  readonly transactionId: string;
  readonly offerId: string;
  readonly buyerId: string;
}

export interface ReservationReleasedData {
  readonly transactionId: string;
  readonly reason: string;
}

export interface PropertySoldData {
  readonly transactionId: string;
  readonly offerId: string;
  readonly buyerId: string;
  readonly salePrice: Money;
}

export interface ListingWithdrawnData {
  readonly reason: string | null;
}

/** `null` keeps the asking price the property had when it was withdrawn. */
export interface PropertyRelistedData {
  readonly price: Money | null;
}

export type PropertyListed = DomainEvent<'PropertyListed', PropertyListedData>;
export type PropertyDetailsUpdated = DomainEvent<'PropertyDetailsUpdated', PropertyDetailsUpdatedData>;
export type PriceChanged = DomainEvent<'PriceChanged', PriceChangedData>;
export type OfferReceived = DomainEvent<'OfferReceived', OfferReceivedData>;
export type OfferAccepted = DomainEvent<'OfferAccepted', OfferAcceptedData>;
export type OfferRejected = DomainEvent<'OfferRejected', OfferRejectedData>;
export type OfferWithdrawn = DomainEvent<'OfferWithdrawn', OfferWithdrawnData>;
export type PropertyReserved = DomainEvent<'PropertyReserved', PropertyReservedData>;
export type ReservationReleased = DomainEvent<'ReservationReleased', ReservationReleasedData>;
export type PropertySold = DomainEvent<'PropertySold', PropertySoldData>;
export type ListingWithdrawn = DomainEvent<'ListingWithdrawn', ListingWithdrawnData>;
export type PropertyRelisted = DomainEvent<'PropertyRelisted', PropertyRelistedData>;

export type PropertyEvent =
  | PropertyListed
  | PropertyDetailsUpdated
  | PriceChanged
  | OfferReceived
  | OfferAccepted
  | OfferRejected
  | OfferWithdrawn
  | PropertyReserved
  | ReservationReleased
  | PropertySold
  | ListingWithdrawn
  | PropertyRelisted;

export type PropertyEventType = PropertyEvent['type'];

export type PropertyEventOfType<T extends PropertyEventType> = Extract<PropertyEvent, { type: T }>;

/**
 * The schema version each event type is written with today. A reader meeting an older
 * version upcasts it; bump a number only together with a new `<Type>.v<N>.avsc`.
 */
export const propertyEventSchemaVersions = {
  PropertyListed: 2,
  PropertyDetailsUpdated: 1,
  PriceChanged: 1,
  OfferReceived: 1,
  OfferAccepted: 1,
  OfferRejected: 1,
  OfferWithdrawn: 1,
  PropertyReserved: 1,
  ReservationReleased: 1,
  PropertySold: 1,
  ListingWithdrawn: 1,
  PropertyRelisted: 1,
} as const satisfies Record<PropertyEventType, number>;

/** Derived from the version table, whose type forces it to name every event exactly once. */
export const propertyEventTypes: readonly PropertyEventType[] = Object.freeze(
  Object.keys(propertyEventSchemaVersions) as PropertyEventType[],
);

const propertyEvents = payloadReader<PropertyEvent>(propertyEventSchemaVersions);

export const isPropertyEventType = propertyEvents.isType;

/**
 * A decoded `property.events` message as a PropertyEvent, to switch on `type` with typed
 * `data`; undefined for a type this contract does not know (a consumer parks it).
 */
export function propertyEventOf(message: {
  eventType: string;
  data: Record<string, unknown>;
}): PropertyEvent | undefined {
  return propertyEvents.read({ type: message.eventType, data: message.data });
}
