import { ended, startSagaHarness, type SagaHarness } from '../support/saga-harness';

/**
 * Deadlines on the real stack, with a short step timeout (8 s + 1 s grace): a step whose
 * participant does not answer in time is compensated, with the steps before it; commands
 * that arrive after their expiry are refused unapplied, so nothing is left held.
 */
let saga: SagaHarness;

beforeAll(async () => {
  saga = await startSagaHarness({ SAGA_STEP_TIMEOUT_MS: '8000', SAGA_REPLY_GRACE_MS: '1000' });
});

afterAll(async () => {
  await saga?.close();
});

type Entry = { phase: string; outcome: string; command: string; step: string };
const history = (s: Record<string, unknown>) => s.history as Entry[];

describe('purchase saga deadlines', () => {
  it('the property service silent at "mark sold": title reverted, contract voided, reservation and funds released', async () => {
    const terms = await saga.acceptedOffer(300_000, 300_000);
    // Hold the purchase at the title step, take the property service away, then let it go on.
    await saga.title.internals.participant.consumer.stop();
    const id = await saga.startPurchase(terms);
    await saga.awaitPurchase(id, (s) => s.currentStep === 'transferTitle');
    await saga.property.service.participant.consumer.stop();
    await saga.title.internals.participant.consumer.start();
    await saga.awaitPurchase(id, (s) => s.currentStep === 'markSold');
    const compensating = await saga.awaitPurchase(id, (s) => s.status === 'COMPENSATING', 20_000);
    expect(compensating.cause).toMatch(/^markSold timed out/);
    // The property service comes back after the deadline: it refuses the expired
    // MarkPropertySold and applies the release.
    await saga.property.service.participant.consumer.start();
    const done = await saga.awaitPurchase(id, ended, 60_000);

    expect(done.status).toBe('COMPENSATED');
    expect(history(done).find((h) => h.outcome === 'TIMED_OUT')).toMatchObject({ step: 'markSold' });
    expect(
      history(done)
        .filter((h) => h.phase === 'compensation' && h.outcome === 'SUCCEEDED')
        .map((h) => h.step),
    ).toEqual(['transferTitle', 'createContract', 'reserveProperty', 'reserveFunds']);
    expect((await saga.api.property('GET', `/properties/${terms.propertyId}`)).body).toMatchObject({
      status: 'listed',
      reservation: null,
    });
    expect((await saga.api.title('GET', `/titles/${terms.propertyId}`)).body).toMatchObject({
      heldBySeller: true,
    });
    expect((await saga.api.contract('GET', `/contracts/${id}`)).body).toMatchObject({ status: 'VOIDED' });
    expect((await saga.api.payment('GET', `/accounts/${terms.buyerId}`)).body).toMatchObject({
      reserved: { amount: 0 },
      available: { amount: 300_000 },
    });
  }, 120_000);

  it('the payment service down past the deadline: the purchase compensates, and the late reserve is refused', async () => {
    const terms = await saga.acceptedOffer(100_000, 100_000);
    await saga.payment.internals.participant.consumer.stop();
    const id = await saga.startPurchase(terms);
    const compensating = await saga.awaitPurchase(id, (s) => s.status === 'COMPENSATING', 20_000);
    expect(compensating.cause).toMatch(/^reserveFunds timed out/);
    await saga.payment.internals.participant.consumer.start();
    const done = await saga.awaitPurchase(id, ended, 60_000);
    expect(done).toMatchObject({ status: 'COMPENSATED', completedSteps: [] });
    const account = await saga.api.payment('GET', `/accounts/${terms.buyerId}`);
    expect(account.body).toMatchObject({ reserved: { amount: 0 }, available: { amount: 100_000 } });
    // Nothing of this purchase is held: no reservation row with money in it.
    expect(account.body.reservations).toEqual([]);
  }, 120_000);
});
