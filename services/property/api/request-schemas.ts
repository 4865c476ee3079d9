import { z } from 'zod';
import { moneyBody } from '../../shared/http/money-json';
import { MAX_STREAM_VERSION, wholeNumberParam } from '../../shared/http/whole-number-param';
import { propertyTypes } from '../published/property-type';

export { moneyBody };

export const addressBody = z.strictObject({
  street: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().max(20),
  region: z.string().trim().max(100),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NL'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

const count = z.number().int('a whole number').min(0).max(100);
const areaSqm = z.number().positive('must be greater than 0').max(1_000_000);
const propertyType = z.enum(propertyTypes);
const description = z.string().max(5000);
const reason = z.string().trim().min(1).max(500);
const id = z.string().trim().min(1).max(100);

export const listPropertyBody = z.strictObject({
  address: addressBody,
  price: moneyBody,
  bedrooms: count,
  bathrooms: count,
  areaSqm,
  type: propertyType,
  description: description.optional(),
});

export const updateDetailsBody = z
  .strictObject({
    address: addressBody.optional(),
    bedrooms: count.optional(),
    bathrooms: count.optional(),
    areaSqm: areaSqm.optional(),
    type: propertyType.optional(),
    description: description.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one detail to change');

export const changePriceBody = z.strictObject({ price: moneyBody });
/** The buyer is the caller; a buyerId, if given, must name the caller. */
export const receiveOfferBody = z.strictObject({ buyerId: id.optional(), amount: moneyBody });
export const reasonBody = z.strictObject({ reason: reason.optional() });
export const relistBody = z.strictObject({ price: moneyBody.optional() });

export const stateQuery = z
  .strictObject({
    asOf: z.iso
      .datetime({ offset: true, message: 'an ISO 8601 instant such as 2026-11-26T12:00:00Z' })
      .optional(),
    version: wholeNumberParam(1, MAX_STREAM_VERSION).optional(),
  })
  .refine((q) => !(q.asOf && q.version), 'give asOf or version, not both');

export const historyQuery = z.strictObject({
  after: wholeNumberParam(0, MAX_STREAM_VERSION).default(0),
  limit: wholeNumberParam(1, 500).default(100),
});
