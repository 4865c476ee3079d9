import type { PropertyEvent } from '../../property/published';
import type { RecordedEvent } from '../../shared/domain/domain-event';

/**
 * One sale as a training row: the price it fetched and the property as it was described and
 * asked for just before it sold. Built by folding each property's events in order, so a
 * row holds nothing from an event after its sale, whatever the store holds today.
 */
export interface SaleRow {
  propertyId: string;
  transactionId: string;
  soldAt: Date;
  salePriceMinor: number;
  currency: string;
  /** The asking price when it sold (after every price change before the sale). */
  askingPriceMinor: number;
  listedAt: Date;
  daysOnMarket: number;
  city: string;
  postalCode: string;
  region: string;
  country: string;
  lat: number;
  lon: number;
  propertyType: string;
  bedrooms: number;
  bathrooms: number;
  areaSqm: number;
  priceChanges: number;
  offersReceived: number;
}

/** What the rows need of one property, as of the last event folded. */
type Features = Omit<SaleRow, 'propertyId' | 'transactionId' | 'soldAt' | 'salePriceMinor' | 'daysOnMarket'>;

const dayMs = 24 * 60 * 60 * 1000;

function evolve(features: Features | undefined, event: PropertyEvent): Features | undefined {
  if (event.type === 'PropertyListed') {
    const { address, price, bedrooms, bathrooms, areaSqm, propertyType, listedAt } = event.data;
    const { city, postalCode, region, country, lat, lon } = address;
    return {
      ...{ city, postalCode, region, country, lat, lon, propertyType, bedrooms, bathrooms, areaSqm },
      currency: price.currency,
      askingPriceMinor: price.amountMinor,
      listedAt: new Date(listedAt),
      priceChanges: 0,
      offersReceived: 0,
    };
  }
  if (!features) return undefined; // a stream that lacks its listing: nothing to describe
  switch (event.type) {
    case 'PropertyDetailsUpdated': {
      const { address, bedrooms, bathrooms, areaSqm, propertyType } = event.data;
      return {
        ...features,
        ...(address && {
          city: address.city,
          postalCode: address.postalCode,
          region: address.region,
          country: address.country,
          lat: address.lat,
          lon: address.lon,
        }),
        bedrooms: bedrooms ?? features.bedrooms,
        bathrooms: bathrooms ?? features.bathrooms,
        areaSqm: areaSqm ?? features.areaSqm,
        propertyType: propertyType ?? features.propertyType,
      };
    }
    case 'PriceChanged':
      return {
        ...features,
        askingPriceMinor: event.data.newPrice.amountMinor,
        priceChanges: features.priceChanges + 1,
      };
    case 'PropertyRelisted':
      return event.data.price ? { ...features, askingPriceMinor: event.data.price.amountMinor } : features;
    case 'OfferReceived':
      return { ...features, offersReceived: features.offersReceived + 1 };
    default:
      return features;
  }
}

/**
 * Folds property events in the order they were stored (any mix of streams) and yields a row
 * at each sale, from the features folded before it.
 */
export class SaleRows {
  private readonly properties = new Map<string, Features>();

  /** The row of `recorded` if it is a sale, after folding it. */
  add(recorded: RecordedEvent<PropertyEvent>): SaleRow | undefined {
    const before = this.properties.get(recorded.streamId);
    const after = evolve(before, recorded.event);
    if (after) this.properties.set(recorded.streamId, after);
    if (recorded.event.type !== 'PropertySold' || !before) return undefined;
    const { transactionId, salePrice } = recorded.event.data;
    return {
      propertyId: recorded.streamId,
      transactionId,
      soldAt: recorded.occurredAt,
      salePriceMinor: salePrice.amountMinor,
      daysOnMarket: Math.max(0, (recorded.occurredAt.getTime() - before.listedAt.getTime()) / dayMs),
      ...before,
      currency: salePrice.currency,
    };
  }
}
