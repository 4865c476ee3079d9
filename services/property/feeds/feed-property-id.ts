import { createHash } from 'node:crypto';

/**
 * The platform's id of a feed's listing: a name-based UUID (version 5 layout, SHA-1) of the
 * source and its ListingKey. The same record always names the same property, so importing
 * it twice cannot list it twice, whatever crashed in between.
 */
export function feedPropertyId(source: string, listingKey: string): string {
  const hash = createHash('sha1').update(`deedstream-listing-feed:${source}:${listingKey}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
