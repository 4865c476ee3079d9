import type { Caller } from '../../shared/http/caller';

/**
 * What a viewer may see of other people: GET /properties/:id and its events are open, but
 * a buyer's id (who made which offer, who reserved or bought) and who acted on the listing
 * are shown only to the listing's owner and to that person. Everyone sees amounts and
 * statuses.
 */
export class Viewer {
  constructor(
    private readonly caller: Caller | undefined,
    private readonly ownerId: string | null,
  ) {}

  private get isOwner(): boolean {
    return this.caller !== undefined && this.ownerId !== null && this.caller.subject === this.ownerId;
  }

  /** `person` as this viewer may see it: itself for the owner or the person, null for anyone else. */
  person(person: string | null): string | null {
    if (person === null) return null;
    return this.isOwner || this.caller?.subject === person ? person : null;
  }

  /** A payload with its `buyerId` (if it has one) as this viewer may see it. */
  payload<T extends object>(data: T): T | (Omit<T, 'buyerId'> & { buyerId: string | null }) {
    if (!('buyerId' in data) || typeof data.buyerId !== 'string') return data;
    return { ...data, buyerId: this.person(data.buyerId) };
  }
}
