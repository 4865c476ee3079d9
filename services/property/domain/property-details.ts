import { isPropertyType, type PropertyType } from '../published/property-type';
import { violation } from './property-rules';

/** Generous upper bound: it only catches typos such as 300 bedrooms for 3. */
const MAX_ROOMS = 100;

function roomCount(value: number, rule: 'invalid-bedrooms' | 'invalid-bathrooms', label: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_ROOMS) {
    violation(rule, `${label} must be a whole number from 0 to ${MAX_ROOMS}, got ${value}`);
  }
  return value;
}

export function validBedrooms(value: number): number {
  return roomCount(value, 'invalid-bedrooms', 'Bedrooms');
}

export function validBathrooms(value: number): number {
  return roomCount(value, 'invalid-bathrooms', 'Bathrooms');
}

export function validAreaSqm(value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    violation('invalid-area', `Area must be a positive number of square metres, got ${value}`);
  }
  return value;
}

/** Checked at run time too: the type arrives from JSON requests, and events outlive the code. */
export function validPropertyType(value: string): PropertyType {
  if (!isPropertyType(value)) violation('invalid-property-type', `Unknown property type "${value}"`);
  return value;
}

/**
 * Whitespace-only text carries no description, so it is stored as "none" (null); one
 * canonical form keeps "did the description change?" a plain comparison.
 */
export function normalizedDescription(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
