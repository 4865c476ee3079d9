import { HttpProblem } from '../../shared/http/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs the service generated; anything else cannot name a property. */
export function propertyId(raw: string): string {
  if (!UUID.test(raw)) throw HttpProblem.notFound(`property ${raw}`);
  return raw.toLowerCase();
}
