export const propertyTypes = ['house', 'apartment', 'condo', 'townhouse', 'land', 'commercial'] as const;

export type PropertyType = (typeof propertyTypes)[number];

export function isPropertyType(value: string): value is PropertyType {
  return (propertyTypes as readonly string[]).includes(value);
}
