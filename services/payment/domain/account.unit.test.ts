import { DomainError } from '../../shared/errors/domain-error';
import { availableMinor, capture, release, reserve, type Account, type FundsReservation } from './account';

const account: Account = { buyerId: 'b1', currency: 'EUR', balanceMinor: 100_000, reservedMinor: 0 };
const held = (amountMinor: number): FundsReservation => ({
  transactionId: 't1',
  buyerId: 'b1',
  amountMinor,
  currency: 'EUR',
  status: 'RESERVED',
});

describe('account', () => {
  it('reserves up to the available balance and no further', () => {
    const once = reserve(account, { amountMinor: 60_000, currency: 'EUR' });
    expect(availableMinor(once)).toBe(40_000);
    expect(() => reserve(once, { amountMinor: 40_001, currency: 'EUR' })).toThrow(
      expect.objectContaining({ rule: 'insufficient-funds' }) as DomainError,
    );
    expect(availableMinor(reserve(once, { amountMinor: 40_000, currency: 'EUR' }))).toBe(0);
  });

  it('refuses another currency', () => {
    expect(() => reserve(account, { amountMinor: 1, currency: 'USD' })).toThrow(
      expect.objectContaining({ rule: 'currency-mismatch' }) as DomainError,
    );
  });

  it('release returns the funds; capture takes them from the balance', () => {
    const reserved = reserve(account, { amountMinor: 30_000, currency: 'EUR' });
    expect(release(reserved, held(30_000))).toEqual(account);
    expect(capture(reserved, held(30_000))).toEqual({ ...account, balanceMinor: 70_000, reservedMinor: 0 });
  });
});
