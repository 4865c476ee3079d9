import {
  onDeadline,
  onReply,
  startPurchase,
  type PurchaseSaga,
  type Reply,
  type Transition,
} from './purchase-saga';
import type { PurchaseTerms } from './purchase-steps';

const terms: PurchaseTerms = {
  transactionId: 'tx-1',
  propertyId: 'p-1',
  offerId: 'o-1',
  buyerId: 'b-1',
  price: { amountMinor: 45_000_000, currency: 'EUR' },
};
let ids = 0;
const clockAt = (ms: number) => ({
  now: new Date(ms),
  newId: () => `m-${(ids += 1)}`,
  timing: { stepTimeoutMs: 1_000, replyGraceMs: 500 },
});
const reply = (saga: PurchaseSaga, outcome: Reply['outcome'], rule: string | null = null): Reply => ({
  messageId: `r-${(ids += 1)}`,
  causationId: saga.awaitingMessageId,
  command: 'any',
  outcome,
  rule,
  reason: null,
});
const must = (t: Transition | null): Transition => {
  if (!t) throw new Error('expected a transition');
  return t;
};
const sent = (t: Transition) => t.send?.type;

/** Runs the forward steps, answering SUCCEEDED to the first `n`. */
function succeed(n: number): Transition {
  let t = startPurchase(terms, clockAt(0));
  for (let i = 0; i < n; i += 1) t = must(onReply(t.saga, reply(t.saga, 'SUCCEEDED'), clockAt(10)));
  return t;
}

describe('purchase saga', () => {
  it('runs the steps in order and completes after capturing the funds', () => {
    let t = startPurchase(terms, clockAt(0));
    const types = [sent(t)];
    while (t.saga.status === 'RUNNING') {
      t = must(onReply(t.saga, reply(t.saga, 'SUCCEEDED'), clockAt(10)));
      if (t.send) types.push(sent(t));
    }
    expect(types).toEqual([
      'ReserveFunds',
      'ReserveProperty',
      'CreateContract',
      'TransferTitle',
      'MarkPropertySold',
      'CaptureFunds',
    ]);
    expect(t.saga.status).toBe('COMPLETED');
    expect(t.saga.completedSteps).toHaveLength(6);
  });

  it.each([
    [0, []],
    [1, ['ReleaseFunds']],
    [2, ['ReleasePropertyReservation', 'ReleaseFunds']],
    [3, ['VoidContract', 'ReleasePropertyReservation', 'ReleaseFunds']],
    [4, ['RevertTitle', 'VoidContract', 'ReleasePropertyReservation', 'ReleaseFunds']],
  ])('a refusal after %i steps compensates exactly those steps, in reverse', (done, expected) => {
    const before = succeed(done).saga;
    let t = must(onReply(before, reply(before, 'REFUSED', 'no'), clockAt(20)));
    const compensations: string[] = [];
    while (t.saga.status === 'COMPENSATING') {
      compensations.push(sent(t) ?? '');
      t = must(onReply(t.saga, reply(t.saga, 'SUCCEEDED'), clockAt(30)));
    }
    expect(compensations).toEqual(expected);
    expect(t.saga.status).toBe('COMPENSATED');
    expect(t.saga.cause).toMatch(/refused: no/);
  });

  it('ignores duplicate and late replies', () => {
    const t = startPurchase(terms, clockAt(0));
    const first = must(onReply(t.saga, reply(t.saga, 'SUCCEEDED'), clockAt(10)));
    expect(onReply(first.saga, { ...reply(t.saga, 'SUCCEEDED') }, clockAt(11))).toBeNull();
  });

  it('a forward step past its deadline is compensated with the steps before it', () => {
    const t = succeed(2); // awaiting CreateContract
    expect(onDeadline(t.saga, clockAt(15))).toBeNull();
    let d = must(onDeadline(t.saga, clockAt(10_000)));
    expect(d.history[0]?.outcome).toBe('TIMED_OUT');
    const compensations: string[] = [];
    while (d.saga.status === 'COMPENSATING') {
      compensations.push(sent(d) ?? '');
      d = must(onReply(d.saga, reply(d.saga, 'SUCCEEDED'), clockAt(10_010)));
    }
    expect(compensations).toEqual(['VoidContract', 'ReleasePropertyReservation', 'ReleaseFunds']);
    expect(d.saga.cause).toMatch(/createContract timed out/);
  });

  it('re-sends an overdue compensation and an overdue capture instead of giving up', () => {
    const one = succeed(1).saga;
    const compensating = must(onReply(one, reply(one, 'REFUSED'), clockAt(20)));
    const again = must(onDeadline(compensating.saga, clockAt(10_000)));
    expect(sent(again)).toBe('ReleaseFunds');
    expect(again.send?.messageId).not.toBe(compensating.send?.messageId);
    const capturing = succeed(5);
    expect(sent(capturing)).toBe('CaptureFunds');
    expect(sent(must(onDeadline(capturing.saga, clockAt(10_000))))).toBe('CaptureFunds');
  });
});
