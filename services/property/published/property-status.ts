/** Where a listing stands, as events and read models show it. */
export const propertyStatuses = ['listed', 'reserved', 'sold', 'withdrawn'] as const;
export type PropertyStatus = (typeof propertyStatuses)[number];

/** Where an offer stands. */
export const offerStatuses = ['pending', 'accepted', 'rejected', 'withdrawn'] as const;
export type OfferStatus = (typeof offerStatuses)[number];
