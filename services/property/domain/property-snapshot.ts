import { z } from 'zod';
import type { SnapshotFormat } from '../../shared/event-sourcing/snapshot-format';
import { propertyTypes } from '../published/property-type';
import { restoredProperty, type Property } from './property';
import type { ListingState } from './property-state';

const money = z.strictObject({ amountMinor: z.number().int(), currency: z.string().length(3) });
const encryptedField = z.strictObject({ keyId: z.string(), iv: z.string(), ciphertext: z.string() });

/** A property's state in a snapshot: its listing (the row holds id and version). */
export type PropertySnapshot = ListingState;

const propertySnapshotSchema: z.ZodType<PropertySnapshot> = z.strictObject({
  status: z.enum(['listed', 'reserved', 'sold', 'withdrawn']),
  address: z.strictObject({
    street: z.string(),
    city: z.string(),
    postalCode: z.string(),
    region: z.string(),
    country: z.string(),
    lat: z.number(),
    lon: z.number(),
  }),
  price: money,
  bedrooms: z.number(),
  bathrooms: z.number(),
  areaSqm: z.number(),
  propertyType: z.enum(propertyTypes),
  description: z.string().nullable(),
  listedAt: z.string(),
  ownerId: z.string().nullable(),
  listingAgent: z
    .strictObject({
      agentId: z.string(),
      name: encryptedField,
      email: encryptedField.nullable(),
      phone: encryptedField.nullable(),
      agency: z.string().nullable(),
    })
    .nullable(),
  offers: z.array(
    z.strictObject({
      offerId: z.string(),
      buyerId: z.string(),
      amount: money,
      status: z.enum(['pending', 'accepted', 'rejected', 'withdrawn']),
    }),
  ),
  acceptedOfferId: z.string().nullable(),
  reservation: z
    .strictObject({ transactionId: z.string(), offerId: z.string(), buyerId: z.string() })
    .nullable(),
  salePrice: money.nullable(),
  priceChangeCount: z.number().int().min(0),
});

/** Format 1: the listing's state (see property-state.ts), the fields of a PropertyView. */
export const propertySnapshots: SnapshotFormat<Property, PropertySnapshot> = {
  format: 1,
  schema: propertySnapshotSchema,
  take(property) {
    const { listing } = property.state;
    if (listing === null) throw new Error(`Property ${property.id} has no listing to snapshot`);
    return listing;
  },
  restore: (id, version, listing) => restoredProperty(id, version, listing),
};
