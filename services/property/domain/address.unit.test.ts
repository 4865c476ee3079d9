import { keizersgracht } from './representative-events';
import { DomainError } from '../../shared/errors/domain-error';
import { addressEquals, validAddress, type Address } from './address';

const amsterdam: Address = keizersgracht;

function ruleOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.rule;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('validAddress', () => {
  it('returns a trimmed copy', () => {
    const result = validAddress({ ...amsterdam, street: '  Keizersgracht 123 ', city: 'Amsterdam ' });
    expect(result).toEqual(amsterdam);
    expect(result).not.toBe(amsterdam);
  });

  it('accepts the extreme coordinates and an address without postal code or region', () => {
    expect(() => validAddress({ ...amsterdam, lat: -90, lon: 180 })).not.toThrow();
    expect(() => validAddress({ ...amsterdam, lat: 90, lon: -180 })).not.toThrow();
    expect(() => validAddress({ ...amsterdam, postalCode: '', region: '' })).not.toThrow();
  });

  it.each<[string, Partial<Address>]>([
    ['empty street', { street: ' ' }],
    ['empty city', { city: '' }],
    ['lowercase country', { country: 'nl' }],
    ['alpha-3 country', { country: 'NLD' }],
    ['latitude above 90', { lat: 90.0001 }],
    ['latitude below -90', { lat: -91 }],
    ['longitude above 180', { lon: 180.5 }],
    ['longitude below -180', { lon: -181 }],
    ['NaN latitude', { lat: Number.NaN }],
    ['infinite longitude', { lon: Number.POSITIVE_INFINITY }],
  ])('rejects %s', (_case, change) => {
    expect(ruleOf(() => validAddress({ ...amsterdam, ...change }))).toBe('invalid-address');
  });
});

describe('addressEquals', () => {
  it('compares every field', () => {
    expect(addressEquals(amsterdam, { ...amsterdam })).toBe(true);
    expect(addressEquals(amsterdam, { ...amsterdam, lon: 4.884 })).toBe(false);
    expect(addressEquals(amsterdam, { ...amsterdam, postalCode: '1015CJ' })).toBe(false);
  });
});
