import type { PropertyCommand, PropertyDetailsChanges } from '../domain/property-commands';
import type { PropertyView } from '../domain/property-view';
import { FeedRecordError, type FeedListing } from './reso-listing';

/** What a feed record did to the platform's listing. */
export type FeedOutcome = 'imported' | 'updated' | 'unchanged' | 'rejected';

/**
 * The commands that bring an imported listing to what the feed says now: only what differs,
 * so a record sent twice changes nothing. A listing the platform has reserved or sold is the
 * platform's: the feed no longer changes it.
 */
export function feedCommands(view: PropertyView, listing: FeedListing): PropertyCommand[] {
  if (view.status === 'reserved' || view.status === 'sold') {
    throw new FeedRecordError(
      `the listing is ${view.status} on the platform; the feed can no longer change it`,
    );
  }
  const details = detailChanges(view, listing);
  const hasDetails = Object.keys(details).length > 0;
  const priceDiffers =
    view.price.amountMinor !== listing.price.amountMinor || view.price.currency !== listing.price.currency;
  const commands: PropertyCommand[] = [];
  if (listing.status.onMarket) {
    // Back on the market first (at the feed's price), then any details.
    if (view.status === 'withdrawn')
      commands.push({ type: 'Relist', price: priceDiffers ? listing.price : null });
    else if (priceDiffers) commands.push({ type: 'ChangePrice', price: listing.price });
    if (hasDetails) commands.push({ type: 'UpdateDetails', changes: details });
    return commands;
  }
  // Off the market: details still follow the feed; a price is only asked while listed.
  if (hasDetails) commands.push({ type: 'UpdateDetails', changes: details });
  if (view.status === 'listed')
    commands.push({ type: 'WithdrawListing', reason: `feed: ${listing.status.resoStatus}` });
  return commands;
}

function detailChanges(view: PropertyView, listing: FeedListing): PropertyDetailsChanges {
  const changes: { -readonly [K in keyof PropertyDetailsChanges]: PropertyDetailsChanges[K] } = {};
  const a = view.address;
  const b = listing.address;
  if (
    a.street !== b.street ||
    a.city !== b.city ||
    a.postalCode !== b.postalCode ||
    a.region !== b.region ||
    a.country !== b.country ||
    a.lat !== b.lat ||
    a.lon !== b.lon
  )
    changes.address = b;
  if (view.bedrooms !== listing.bedrooms) changes.bedrooms = listing.bedrooms;
  if (view.bathrooms !== listing.bathrooms) changes.bathrooms = listing.bathrooms;
  if (view.areaSqm !== listing.areaSqm) changes.areaSqm = listing.areaSqm;
  if (view.propertyType !== listing.propertyType) changes.propertyType = listing.propertyType;
  // A description the feed drops is removed (the empty string is how a change says so).
  if ((view.description ?? null) !== listing.description) changes.description = listing.description ?? '';
  return changes;
}
