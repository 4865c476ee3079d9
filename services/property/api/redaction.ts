import type { Caller } from '../../shared/http/caller';

/**
 * What a viewer may see of other people: GET /properties/:id and its events are open, but
 * who owns the listing, a buyer's id (who made which offer, who reserved or bought) and
 * who acted on the listing are shown only to the listing's owner and to that person. Everyone sees amounts and
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

  /** A payload with the people it names (`buyerId`, `ownerId`) as this viewer may see them. */
  payload<T extends object>(data: T): WithPeopleRedacted<T> {
    const shown = new Map<string, unknown>(Object.entries(data));
    for (const field of PERSON_FIELDS) {
      const value = shown.get(field);
      if (typeof value === 'string') shown.set(field, this.person(value));
    }
    // The same keys as `data`, only person fields may have become null.
    return Object.fromEntries(shown) as WithPeopleRedacted<T>;
  }
}

/** The fields of event data and state that name a person. */
const PERSON_FIELDS = ['buyerId', 'ownerId'] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

/** `T` with its person fields possibly hidden (null). */
export type WithPeopleRedacted<T> = { [K in keyof T]: K extends PersonField ? T[K] | null : T[K] };
