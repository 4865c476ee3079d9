import { z } from 'zod';
import { DomainError } from '../../shared/errors/domain-error';
import { findUnstorableText } from '../../shared/http/unstorable-text';
import { moneyFromMajor, type Money } from '../../shared/domain/money';
import type { Address } from '../domain/address';
import type { PropertyType } from '../published/property-type';

/** A feed record the importer cannot turn into a listing: `reason` says which field and why. */
export class FeedRecordError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FeedRecordError';
  }
}

/** RESO's PropertySubType values the platform has a property type for. */
const subTypes: Record<string, PropertyType> = {
  Apartment: 'apartment',
  'Single Family Residence': 'house',
  Townhouse: 'townhouse',
  Condominium: 'condo',
};
/** RESO StandardStatus: on the market, or taken off it by the seller or by time. */
const activeStatuses = ['Active'] as const;
const offMarketStatuses = ['Withdrawn', 'Canceled', 'Expired'] as const;
const SQUARE_METRES_PER_SQUARE_FOOT = 0.09290304;

const text = z.string().trim().min(1, 'must not be blank');
/**
 * The fields of the RESO Data Dictionary the importer reads; others a feed sends are
 * ignored. Each refusal names the field, as the DLQ and the report show it.
 */
const resoRecord = z.object({
  ListingKey: text.max(100),
  ModificationTimestamp: z.iso.datetime({ offset: true, error: 'an ISO 8601 instant' }),
  StandardStatus: z.enum([...activeStatuses, ...offMarketStatuses], {
    error: `one of ${[...activeStatuses, ...offMarketStatuses].join(', ')} (others are not imported)`,
  }),
  ListPrice: z.number({ error: 'a number' }).positive('must be above 0'),
  CurrencyCode: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
    .default('EUR'),
  StreetNumber: z.string().trim().default(''),
  StreetName: text,
  City: text,
  StateOrProvince: z.string().trim().default(''),
  PostalCode: z.string().trim().default(''),
  Country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code'),
  Latitude: z.number({ error: 'a number' }).min(-90, 'from -90 to 90').max(90, 'from -90 to 90'),
  Longitude: z.number({ error: 'a number' }).min(-180, 'from -180 to 180').max(180, 'from -180 to 180'),
  BedroomsTotal: z.number({ error: 'a whole number' }).int().min(0).max(50),
  BathroomsTotalInteger: z.number({ error: 'a whole number' }).int().min(0).max(50),
  LivingArea: z.number({ error: 'a number' }).positive('must be above 0'),
  LivingAreaUnits: z.enum(['Square Meters', 'Square Feet'], { error: 'Square Meters or Square Feet' }),
  PropertySubType: z.string().refine((value) => value in subTypes, {
    message: `one of ${Object.keys(subTypes).join(', ')}`,
  }),
  PublicRemarks: z.string().nullable().default(null),
  ListAgentEmail: z.email({ error: 'an email address' }),
});

/** A feed listing in the platform's terms. */
export interface FeedListing {
  listingKey: string;
  modifiedAt: string;
  /** On the market (Active), or off it (the RESO status, for the withdrawal's reason). */
  status: { onMarket: true } | { onMarket: false; resoStatus: string };
  price: Money;
  address: Address;
  bedrooms: number;
  bathrooms: number;
  areaSqm: number;
  propertyType: PropertyType;
  description: string | null;
  agentEmail: string;
}

/** One line of a feed file as a listing, or a FeedRecordError naming every bad field. */
export function feedListingOf(line: string): FeedListing {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new FeedRecordError('not a JSON object: the line does not parse');
  }
  // Text Postgres cannot store (NUL, lone surrogates) would fail the append, not the record.
  const unstorable = findUnstorableText(json, '');
  if (unstorable.length > 0) {
    throw new FeedRecordError(unstorable.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
  }
  const parsed = resoRecord.safeParse(json);
  if (!parsed.success) {
    throw new FeedRecordError(
      parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
        .join('; '),
    );
  }
  const r = parsed.data;
  const area =
    r.LivingAreaUnits === 'Square Feet'
      ? Math.round(r.LivingArea * SQUARE_METRES_PER_SQUARE_FOOT * 10) / 10
      : r.LivingArea;
  let price: Money;
  try {
    price = moneyFromMajor(r.ListPrice, r.CurrencyCode);
  } catch (error) {
    if (error instanceof DomainError) throw new FeedRecordError(`ListPrice: ${error.message}`);
    throw error;
  }
  return {
    listingKey: r.ListingKey,
    modifiedAt: r.ModificationTimestamp,
    status:
      r.StandardStatus === 'Active' ? { onMarket: true } : { onMarket: false, resoStatus: r.StandardStatus },
    price,
    address: {
      // The Dutch (and most European) order: street name, then number.
      street: [r.StreetName, r.StreetNumber].filter(Boolean).join(' '),
      city: r.City,
      postalCode: r.PostalCode,
      region: r.StateOrProvince,
      country: r.Country,
      lat: r.Latitude,
      lon: r.Longitude,
    },
    bedrooms: r.BedroomsTotal,
    bathrooms: r.BathroomsTotalInteger,
    areaSqm: area,
    propertyType: subTypes[r.PropertySubType] as PropertyType,
    description: r.PublicRemarks?.trim() ? r.PublicRemarks.trim() : null,
    agentEmail: r.ListAgentEmail.toLowerCase(),
  };
}
