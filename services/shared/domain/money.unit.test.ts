import { DomainError } from '../errors/domain-error';
import {
  compare,
  formatMoney,
  isPositive,
  maxAmountMinor,
  moneyEquals,
  moneyFromMajor,
  moneyFromMinor,
  sameCurrency,
  toMajor,
} from './money';

function ruleOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.rule;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('moneyFromMajor', () => {
  it.each([
    [450000, 45_000_000],
    [19.99, 1999],
    [0.1, 10],
    [100.5, 10050],
    [0.07, 7],
    [1.15, 115],
    [0, 0],
    [1234567.89, 123456789],
  ])('converts %p to %p minor units', (major, minor) => {
    expect(moneyFromMajor(major, 'EUR')).toEqual({ amountMinor: minor, currency: 'EUR' });
  });

  it('round-trips every cent value it produces', () => {
    const samples = [
      ...Array.from({ length: 200_001 }, (_, cents) => cents),
      99_999_999_99,
      maxAmountMinor - 1,
      maxAmountMinor,
    ];
    const wrong = samples.filter((cents) => moneyFromMajor(cents / 100, 'EUR').amountMinor !== cents);
    expect(wrong).toEqual([]);
  });

  it('keeps zero positive so deep equality holds', () => {
    expect(Object.is(moneyFromMajor(-0, 'EUR').amountMinor, 0)).toBe(true);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [-1], [-0.01], [1.001], [19.999], [0.005]])(
    'rejects %p',
    (amount) => {
      expect(ruleOf(() => moneyFromMajor(amount, 'EUR'))).toBe('invalid-money');
    },
  );

  it.each([['eur'], ['EU'], ['EURO'], [''], ['E1R']])('rejects currency %p', (currency) => {
    expect(ruleOf(() => moneyFromMajor(10, currency))).toBe('invalid-money');
  });

  it('rejects amounts whose cents a double cannot hold exactly', () => {
    expect(ruleOf(() => moneyFromMajor(Number.MAX_SAFE_INTEGER, 'EUR'))).toBe('invalid-money');
  });
});

describe('moneyFromMinor', () => {
  it('accepts whole non-negative amounts', () => {
    expect(moneyFromMinor(1999, 'USD')).toEqual({ amountMinor: 1999, currency: 'USD' });
  });

  it('accepts the largest amount', () => {
    expect(moneyFromMinor(maxAmountMinor, 'USD').amountMinor).toBe(maxAmountMinor);
  });

  it.each([[1.5], [-1], [Number.NaN], [maxAmountMinor + 1], [Number.MAX_SAFE_INTEGER], [2 ** 53]])(
    'rejects %p',
    (amountMinor) => {
      expect(ruleOf(() => moneyFromMinor(amountMinor, 'USD'))).toBe('invalid-money');
    },
  );
});

describe('money helpers', () => {
  const tenEuros = moneyFromMajor(10, 'EUR');

  it('converts back to major units', () => {
    expect(toMajor(moneyFromMajor(19.99, 'EUR'))).toBe(19.99);
  });

  it('compares amounts of one currency', () => {
    expect(compare(tenEuros, moneyFromMajor(10.01, 'EUR'))).toBe(-1);
    expect(compare(tenEuros, moneyFromMajor(10, 'EUR'))).toBe(0);
    expect(compare(tenEuros, moneyFromMajor(9.99, 'EUR'))).toBe(1);
  });

  it('refuses to compare different currencies', () => {
    expect(ruleOf(() => compare(tenEuros, moneyFromMajor(10, 'USD')))).toBe('currency-mismatch');
  });

  it('tells currencies, equality and sign apart', () => {
    expect(sameCurrency(tenEuros, moneyFromMajor(1, 'EUR'))).toBe(true);
    expect(sameCurrency(tenEuros, moneyFromMajor(10, 'USD'))).toBe(false);
    expect(moneyEquals(tenEuros, moneyFromMajor(10, 'EUR'))).toBe(true);
    expect(moneyEquals(tenEuros, moneyFromMajor(10, 'USD'))).toBe(false);
    expect(isPositive(tenEuros)).toBe(true);
    expect(isPositive(moneyFromMajor(0, 'EUR'))).toBe(false);
    expect(formatMoney(moneyFromMajor(1234.5, 'EUR'))).toBe('1234.50 EUR');
  });
});
