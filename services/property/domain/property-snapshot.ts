import { z } from 'zod';
import type { SnapshotFormat } from '../../shared/event-sourcing/snapshot-format';
import { propertyTypes } from '../published/property-type';
import { Property } from './property';
import type { PropertyView } from './property-view';

const money = z.strictObject({ amountMinor: z.number().int(), currency: z.string().length(3) });
const encryptedField = z.strictObject({ keyId: z.string(), iv: z.string(), ciphertext: z.string() });

/** A property's state in a snapshot: its view without id and version (the row holds those). */
export type PropertySnapshot = Omit<PropertyView, 'id' | 'version'>;

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

/** Format 1: the PropertyView of the aggregate's state (see property-view.ts). */
export const propertySnapshots: SnapshotFormat<Property, PropertySnapshot> = {
  format: 1,
  schema: propertySnapshotSchema,
  take(property) {
    const { id: _id, version: _version, ...state } = property.toView();
    return state;
  },
  restore: (id, version, state) => Property.fromSnapshot(id, version, state),
};
