import { hasRole, type Caller } from '../../shared/http/caller';
import type { Db } from '../saga-store';

/** The transaction service's access rules, by name: each refusal is a 403 naming one. */
export const transactionRules = {
  buyerIsCaller: 'purchase-buyer-is-caller',
  byOfferBuyer: 'purchase-by-offer-buyer',
  partiesOnly: 'purchase-parties-only',
} as const;

/** A purchase is followed by its buyer, the listing's owner and operators. */
export async function mayFollow(
  db: Db,
  caller: Caller,
  purchase: { buyer_id: string; property_id: string },
): Promise<boolean> {
  if (caller.subject === purchase.buyer_id || hasRole(caller, 'ops')) return true;
  const property = await db
    .selectFrom('known_properties')
    .select('owner_id')
    .where('property_id', '=', purchase.property_id)
    .executeTakeFirst();
  return property?.owner_id === caller.subject;
}
