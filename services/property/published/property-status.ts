/** Where a listing stands, as events and read models show it. */
export type PropertyStatus = 'listed' | 'reserved' | 'sold' | 'withdrawn';

/** Where an offer stands. */
export type OfferStatus = 'pending' | 'accepted' | 'rejected' | 'withdrawn';
