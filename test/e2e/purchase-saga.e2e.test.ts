import { consumerGroupLag } from '../../services/shared/projection/consumer-lag';
import { sql } from 'kysely';
import { endOffsets, kafka, readUntil } from '../support/pipeline';
import type { ApiResponse } from '../support/property-harness';
import { ended, startSagaHarness, type SagaHarness } from '../support/saga-harness';

/**
 * The purchase saga on the real stack: every command and reply goes through the sender's
 * outbox, its Debezium connector and Kafka. Step timeout 60 s, so a 30 s outage is
 * ridden out (see purchase-saga-deadlines.e2e.test.ts for deadlines that pass).
 */
let saga: SagaHarness;

beforeAll(async () => {
  saga = await startSagaHarness({ SAGA_STEP_TIMEOUT_MS: '60000' });
});

afterAll(async () => {
  await saga?.close();
});

type Body = Record<string, unknown>;

/** Bounded wait until a consumer group has committed everything on a topic. */
async function drained(groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const until = Date.now() + 30_000;
    for (;;) {
      const lag = (await consumerGroupLag(admin, groupId, [topic])).reduce((sum, p) => sum + p.lag, 0);
      if (lag === 0) return;
      if (Date.now() > until) throw new Error(`${groupId} still ${lag} behind on ${topic}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
const compensationsOf = (s: Body) =>
  (s.history as Array<{ phase: string; outcome: string; command: string }>)
    .filter((h) => h.phase === 'compensation' && h.outcome === 'SENT')
    .map((h) => h.command);

async function expectNothingHeld(terms: { propertyId: string; buyerId: string }, balance: number) {
  const account = await saga.api.payment('GET', `/accounts/${terms.buyerId}`);
  expect(account.body).toMatchObject({
    balance: { amount: balance },
    reserved: { amount: 0 },
    available: { amount: balance },
  });
  const property = await saga.api.property('GET', `/properties/${terms.propertyId}`);
  expect(property.body).toMatchObject({ status: 'listed', reservation: null });
  const title = await saga.api.title('GET', `/titles/${terms.propertyId}`);
  expect(title.body).toMatchObject({ heldBySeller: true });
  const contracts = await saga.api.contract('GET', `/contracts?propertyId=${terms.propertyId}`);
  expect((contracts.body.contracts as Body[]).filter((c) => c.status === 'SIGNED')).toEqual([]);
}

describe('purchase saga', () => {
  it('completes: property sold, funds captured, contract signed, title moved, one correlation id throughout', async () => {
    const terms = await saga.acceptedOffer(400_000, 500_000);
    const id = await saga.startPurchase(terms);
    const done = await saga.awaitPurchase(id, ended);

    expect(done).toMatchObject({ status: 'COMPLETED', cause: null, correlationId: id });
    expect(done.completedSteps).toEqual([
      'reserveFunds',
      'reserveProperty',
      'createContract',
      'transferTitle',
      'markSold',
      'captureFunds',
    ]);
    expect((await saga.api.property('GET', `/properties/${terms.propertyId}`)).body).toMatchObject({
      status: 'sold',
      reservation: { transactionId: id, buyerId: terms.buyerId },
    });
    expect((await saga.api.payment('GET', `/accounts/${terms.buyerId}`)).body).toMatchObject({
      balance: { amount: 100_000 },
      reserved: { amount: 0 },
      reservations: [{ transactionId: id, status: 'CAPTURED', amount: { amount: 400_000 } }],
    });
    expect((await saga.api.contract('GET', `/contracts/${id}`)).body).toMatchObject({
      status: 'SIGNED',
      buyerId: terms.buyerId,
      price: { amount: 400_000, currency: 'EUR' },
    });
    expect((await saga.api.title('GET', `/titles/${terms.propertyId}`)).body).toMatchObject({
      ownerId: terms.buyerId,
      transfers: [{ transactionId: id, status: 'TRANSFERRED', toOwner: terms.buyerId }],
    });

    // Six commands out of the orchestrator's outbox, six replies from the participants',
    // each reply caused by its command, all correlated by the transaction id.
    const commands = await sql<{ id: string; type: string; actor: string | null }>`
      SELECT id::text, type, actor FROM transaction.outbox WHERE correlation_id = ${id}`.execute(saga.owner);
    expect(commands.rows.map((r) => r.type).sort()).toEqual(
      [
        'CaptureFunds',
        'CreateContract',
        'MarkPropertySold',
        'ReserveFunds',
        'ReserveProperty',
        'TransferTitle',
      ].sort(),
    );
    const replies = await sql<{ causation_id: string; actor: string | null }>`
      SELECT causation_id, actor FROM payment.outbox WHERE correlation_id = ${id}
      UNION ALL SELECT causation_id, actor FROM property.outbox WHERE correlation_id = ${id} AND aggregatetype = 'property.replies'
      UNION ALL SELECT causation_id, actor FROM contract.outbox WHERE correlation_id = ${id}
      UNION ALL SELECT causation_id, actor FROM title.outbox WHERE correlation_id = ${id}`.execute(
      saga.owner,
    );
    expect(replies.rows.map((r) => r.causation_id).sort()).toEqual(commands.rows.map((r) => r.id).sort());
    // The audit trail names the buyer who started the purchase at every step: each command,
    // each reply, and the property's own saga events (reserved, sold).
    expect(new Set([...commands.rows, ...replies.rows].map((r) => r.actor))).toEqual(
      new Set([terms.buyerId]),
    );
    const sagaEvents = await sql<{ event_type: string; actor: string | null }>`
      SELECT event_type, metadata->>'actor' AS actor FROM property.events
      WHERE stream_id = ${terms.propertyId} AND metadata->>'correlationId' = ${id}`.execute(saga.owner);
    expect(sagaEvents.rows.map((r) => r.event_type).sort()).toEqual(['PropertyReserved', 'PropertySold']);
    expect(sagaEvents.rows.every((r) => r.actor === terms.buyerId)).toBe(true);
  });

  it('insufficient funds: refused at the first step, nothing to compensate', async () => {
    const terms = await saga.acceptedOffer(400_000, 100_000);
    const id = await saga.startPurchase(terms);
    const done = await saga.awaitPurchase(id, ended);
    expect(done).toMatchObject({ status: 'COMPENSATED', completedSteps: [] });
    expect(done.cause).toMatch(/^reserveFunds refused: insufficient-funds/);
    expect(compensationsOf(done)).toEqual([]);
    await expectNothingHeld(terms, 100_000);
  });

  it('property no longer listed: the funds are released', async () => {
    const terms = await saga.acceptedOffer(300_000, 300_000);
    expect(
      (
        await saga.api.property('POST', `/properties/${terms.propertyId}/withdraw`, {
          reason: 'seller changed mind',
        })
      ).status,
    ).toBe(200);
    const id = await saga.startPurchase(terms);
    const done = await saga.awaitPurchase(id, ended);
    expect(done).toMatchObject({ status: 'COMPENSATED', completedSteps: ['reserveFunds'] });
    expect(done.cause).toMatch(/^reserveProperty refused: property-not-listed/);
    expect(compensationsOf(done)).toEqual(['ReleaseFunds']);
    const account = await saga.api.payment('GET', `/accounts/${terms.buyerId}`);
    expect(account.body).toMatchObject({ reserved: { amount: 0 }, available: { amount: 300_000 } });
  });

  it('buyer on compliance hold: reservation and funds released', async () => {
    const terms = await saga.acceptedOffer(250_000, 250_000);
    await saga.api.contract('PUT', `/compliance-holds/${terms.buyerId}`, { reason: 'KYC incomplete' });
    const id = await saga.startPurchase(terms);
    const done = await saga.awaitPurchase(id, ended);
    expect(done).toMatchObject({
      status: 'COMPENSATED',
      completedSteps: ['reserveFunds', 'reserveProperty'],
    });
    expect(done.cause).toMatch(/^createContract refused: compliance-hold/);
    expect(compensationsOf(done)).toEqual(['ReleasePropertyReservation', 'ReleaseFunds']);
    await expectNothingHeld(terms, 250_000);
  });

  it('lien on the title: contract voided, reservation and funds released', async () => {
    const terms = await saga.acceptedOffer(250_000, 250_000);
    await saga.api.title('PUT', `/titles/${terms.propertyId}/liens/mortgage-1`, {
      reason: 'unpaid mortgage',
    });
    const id = await saga.startPurchase(terms);
    const done = await saga.awaitPurchase(id, ended);
    expect(done).toMatchObject({
      status: 'COMPENSATED',
      completedSteps: ['reserveFunds', 'reserveProperty', 'createContract'],
    });
    expect(done.cause).toMatch(/^transferTitle refused: title-encumbered/);
    expect(compensationsOf(done)).toEqual(['VoidContract', 'ReleasePropertyReservation', 'ReleaseFunds']);
    expect((await saga.api.contract('GET', `/contracts/${id}`)).body).toMatchObject({ status: 'VOIDED' });
    await expectNothingHeld(terms, 250_000);
  });

  it('two purchases of one offer racing: the database lets one start, the other is a 409; funds captured once', async () => {
    const terms = await saga.acceptedOffer(200_000, 400_000);
    const { consistencyToken, buyer, ...body } = terms;
    const asBuyer = saga.transactionAs(buyer);
    const attempts = await Promise.all(
      [1, 2].map(() => asBuyer('POST', '/transactions', body, { 'X-Consistency-Token': consistencyToken })),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([202, 409]);
    const refused = attempts.find((a) => a.status === 409) as ApiResponse;
    const started = attempts.find((a) => a.status === 202) as ApiResponse;
    expect(refused.body).toMatchObject({ rule: 'one-live-purchase-per-offer' });
    expect(refused.body.detail).toContain(started.body.transactionId as string);
    const done = await saga.awaitPurchase(started.body.transactionId as string, ended);
    expect(done.status).toBe('COMPLETED');
    expect(
      (await saga.api.transaction('GET', `/transactions?propertyId=${terms.propertyId}`)).body.transactions,
    ).toHaveLength(1);
    expect((await saga.api.payment('GET', `/accounts/${terms.buyerId}`)).body).toMatchObject({
      balance: { amount: 200_000 },
      reserved: { amount: 0 },
    });
  });

  it('POST /transactions honours Idempotency-Key: the same key and body replay the first answer, another body is a 422', async () => {
    const terms = await saga.acceptedOffer(110_000, 110_000);
    const { consistencyToken, buyer, ...body } = terms;
    const asBuyer = saga.transactionAs(buyer);
    const headers = {
      'X-Consistency-Token': consistencyToken,
      'Idempotency-Key': `purchase-${terms.offerId}`,
    };
    const [first, second] = await Promise.all([
      asBuyer('POST', '/transactions', body, headers),
      asBuyer('POST', '/transactions', body, headers),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.transactionId).toBe(first.body.transactionId);
    const replay = await asBuyer('POST', '/transactions', body, headers);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.transactionId).toBe(first.body.transactionId);
    const other = await asBuyer('POST', '/transactions', { ...body, offerId: 'another-offer' }, headers);
    expect(other.status).toBe(422);
    expect(
      (await saga.api.transaction('GET', `/transactions?propertyId=${terms.propertyId}`)).body.transactions,
    ).toHaveLength(1);
    expect((await saga.awaitPurchase(first.body.transactionId as string, ended)).status).toBe('COMPLETED');
  });

  it('redelivered commands and replies change nothing', async () => {
    const terms = await saga.acceptedOffer(150_000, 300_000);
    const from = {
      commands: await endOffsets('payment.commands'),
      replies: await endOffsets('payment.replies'),
    };
    const id = await saga.startPurchase(terms);
    const before = await saga.awaitPurchase(id, ended);
    expect(before.status).toBe('COMPLETED');
    const mine = (m: { headers: Record<string, string | null> }) => m.headers.correlationId === id;
    const commands = (
      await readUntil('payment.commands', from.commands, (all) => all.filter(mine).length >= 2, 20_000)
    ).filter(mine);
    const replies = (
      await readUntil('payment.replies', from.replies, (all) => all.filter(mine).length >= 2, 20_000)
    ).filter(mine);

    const producer = kafka.producer();
    await producer.connect();
    const copies = async (topic: string, messages: typeof commands) => {
      await producer.send({
        topic,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          headers: Object.fromEntries(Object.entries(m.headers).filter(([, v]) => v !== null)) as Record<
            string,
            string
          >,
        })),
      });
    };
    await copies('payment.commands', [...commands, ...commands]);
    await copies('payment.replies', [...replies, ...replies]);
    await producer.disconnect();
    await drained('saga.payment', 'payment.commands');
    await drained('saga.transaction', 'payment.replies');

    const after = await saga.api.transaction('GET', `/transactions/${id}`);
    expect(after.body).toEqual(before);
    expect((await saga.api.payment('GET', `/accounts/${terms.buyerId}`)).body).toMatchObject({
      balance: { amount: 150_000 },
      reserved: { amount: 0 },
      reservations: [{ transactionId: id, status: 'CAPTURED' }],
    });
    const outbox = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM payment.outbox WHERE correlation_id = ${id}`.execute(
      saga.payment.internals.db,
    );
    expect(outbox.rows[0]?.n).toBe(2);
  });

  it('a participant stopped for 30 s: the purchase waits and completes once it is back', async () => {
    const terms = await saga.acceptedOffer(120_000, 120_000);
    await saga.contract.internals.participant.consumer.stop();
    const id = await saga.startPurchase(terms);
    const waiting = await saga.awaitPurchase(id, (s) => s.currentStep === 'createContract');
    expect(waiting.status).toBe('RUNNING');
    await new Promise((resolve) => setTimeout(resolve, 30_000)); // the outage itself
    expect((await saga.api.transaction('GET', `/transactions/${id}`)).body).toMatchObject({
      status: 'RUNNING',
      currentStep: 'createContract',
    });
    await saga.contract.internals.participant.consumer.start();
    const done = await saga.awaitPurchase(id, ended, 60_000);
    expect(done.status).toBe('COMPLETED');
  }, 180_000);
});
