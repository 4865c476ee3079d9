import type { Address } from '../published/address';
import { violation } from './property-rules';

export type { Address };

const COUNTRY_CODE = /^[A-Z]{2}$/;

function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

function invalid(message: string): never {
  return violation('invalid-address', message);
}

/** Validates and returns a trimmed copy, so events never share objects with callers. */
export function validAddress(address: Address): Address {
  const street = address.street.trim();
  const city = address.city.trim();
  if (street === '') invalid('Address street must not be empty');
  if (city === '') invalid('Address city must not be empty');
  if (!COUNTRY_CODE.test(address.country)) {
    invalid(`Address country must be an ISO 3166-1 alpha-2 code, got "${address.country}"`);
  }
  if (!inRange(address.lat, -90, 90)) invalid(`Latitude must be between -90 and 90, got ${address.lat}`);
  if (!inRange(address.lon, -180, 180)) invalid(`Longitude must be between -180 and 180, got ${address.lon}`);
  return {
    street,
    city,
    postalCode: address.postalCode.trim(),
    region: address.region.trim(),
    country: address.country,
    lat: address.lat,
    lon: address.lon,
  };
}

export function addressEquals(a: Address, b: Address): boolean {
  return (
    a.street === b.street &&
    a.city === b.city &&
    a.postalCode === b.postalCode &&
    a.region === b.region &&
    a.country === b.country &&
    a.lat === b.lat &&
    a.lon === b.lon
  );
}
