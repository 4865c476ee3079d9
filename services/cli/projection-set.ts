import { propertySearchProjection } from '../search/projections/property-search-projection';
import type { Projection, VersionedDocument } from '../shared/projection/projection';

/** Every projection this repository runs, by name. */
export const projections: ReadonlyArray<Projection<VersionedDocument>> = [
  propertySearchProjection as unknown as Projection<VersionedDocument>,
];

export function projectionNamed(name: string): Projection<VersionedDocument> {
  const found = projections.find((p) => p.name === name);
  if (!found)
    throw new Error(`unknown projection "${name}": use one of ${projections.map((p) => p.name).join(', ')}`);
  return found;
}
