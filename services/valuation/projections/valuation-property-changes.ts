import { toMajorMoney } from '../../shared/domain/money';
import type {
  PropertyChange,
  PropertyDetailsUpdatedData,
  PropertyListedData,
} from '../../property/published';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { ValuationPropertyDocument } from './valuation-property-document';

/** The valuation document a listing starts, at version 1. */
export function listedValuationDocument(
  id: string,
  listed: PropertyListedData,
  at: string,
): ValuationPropertyDocument {
  return {
    id,
    version: 1,
    status: 'listed',
    street: listed.address.street,
    city: listed.address.city,
    postalCode: listed.address.postalCode,
    location: { lat: listed.address.lat, lon: listed.address.lon },
    propertyType: listed.propertyType,
    areaSqm: listed.areaSqm,
    bedrooms: listed.bedrooms,
    bathrooms: listed.bathrooms,
    askingPrice: toMajorMoney(listed.price),
    listedAt: listed.listedAt,
    soldAt: null,
    salePrice: null,
    salePricePerSqm: null,
    updatedAt: at,
  };
}

/** The valuation document after `change`, given the document already moved to its version. */
export function changedValuationDocument(
  next: ValuationPropertyDocument,
  change: PropertyChange,
  at: string,
): ValuationPropertyDocument {
  switch (change.type) {
    case 'PropertyDetailsUpdated':
      return withDetails(next, change.data);
    case 'PriceChanged':
      return { ...next, askingPrice: toMajorMoney(change.data.newPrice) };
    case 'PropertyReserved':
      return { ...next, status: 'reserved' };
    case 'ReservationReleased':
      return { ...next, status: 'listed' };
    case 'PropertySold': {
      const salePrice = toMajorMoney(change.data.salePrice);
      return {
        ...next,
        status: 'sold',
        soldAt: at,
        salePrice,
        salePricePerSqm: next.areaSqm > 0 ? salePrice.amount / next.areaSqm : null,
      };
    }
    case 'ListingWithdrawn':
      return { ...next, status: 'withdrawn' };
    case 'PropertyRelisted': {
      const { price } = change.data;
      return { ...next, status: 'listed', askingPrice: price ? toMajorMoney(price) : next.askingPrice };
    }
    case 'OfferReceived':
    case 'OfferAccepted':
    case 'OfferRejected':
    case 'OfferWithdrawn':
      // Offers are not sales; the version moves on so the order guard keeps working.
      return next;
    default:
      return unhandledType(change);
  }
}

/** The details that changed (null: unchanged) replace the document's. */
function withDetails(
  document: ValuationPropertyDocument,
  changes: PropertyDetailsUpdatedData,
): ValuationPropertyDocument {
  const updated = { ...document };
  if (changes.address) {
    const { street, city, postalCode, lat, lon } = changes.address;
    Object.assign(updated, { street, city, postalCode, location: { lat, lon } });
  }
  if (changes.bedrooms !== null) updated.bedrooms = changes.bedrooms;
  if (changes.bathrooms !== null) updated.bathrooms = changes.bathrooms;
  if (changes.areaSqm !== null) updated.areaSqm = changes.areaSqm;
  if (changes.propertyType !== null) updated.propertyType = changes.propertyType;
  return updated;
}
