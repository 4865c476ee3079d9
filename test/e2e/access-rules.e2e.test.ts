import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { freshUser, localUser, type Identity } from '../support/identities';
import { jsonClient, listing, type ApiResponse, type Call } from '../support/property-harness';
import { endOffsets, readUntil } from '../support/pipeline';
import { ended, startSagaHarness, type SagaHarness } from '../support/saga-harness';

let saga: SagaHarness;
let seller: Identity;
let agent: Identity;
let buyer: Identity;
let otherBuyer: Identity;
let ops: Identity;
let compliance: Identity;
let registrar: Identity;
let urls: Record<'property' | 'transaction' | 'payment' | 'contract' | 'title', string>;

beforeAll(async () => {
  saga = await startSagaHarness();
  seller = await localUser('seller1');
  agent = await localUser('agent1');
  ops = await localUser('ops1');
  compliance = await localUser('compliance1');
  registrar = await localUser('registrar1');
  // Buyers of this file only: their accounts and offers are nobody else's.
  buyer = await freshUser('buyer');
  otherBuyer = await freshUser('buyer');
  urls = {
    property: saga.property.baseUrl,
    transaction: saga.transaction.url,
    payment: saga.payment.url,
    contract: saga.contract.url,
    title: saga.title.url,
  };
}, 300_000);
afterAll(() => saga?.close());

const as = (identity: Identity | undefined, service: keyof typeof urls): Call =>
  jsonClient(urls[service], identity);

/** A 403 naming `rule`, with a problem body. */
function refused(response: ApiResponse, rule: string): void {
  expect({ status: response.status, rule: response.body.rule }).toEqual({ status: 403, rule });
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
}

async function countWhere(table: 'property.events' | 'property.outbox', propertyId: string): Promise<number> {
  const column = table === 'property.events' ? sql.ref('stream_id') : sql.ref('aggregateid');
  const result = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${column} = ${propertyId}`.execute(saga.owner);
  return result.rows[0]?.n ?? 0;
}

/**
 * A refused command must write nothing: no event, no outbox row, and no message on
 * property.events — checked by sending the refusal with its own correlation id, then an
 * allowed command, and reading the topic until the allowed one arrives.
 */
async function refusedWritesNothing(
  propertyId: string,
  refusal: (headers: Record<string, string>) => Promise<ApiResponse>,
  rule: string,
): Promise<void> {
  const from = await endOffsets('property.events');
  const events = await countWhere('property.events', propertyId);
  const outbox = await countWhere('property.outbox', propertyId);
  const refusedCorrelation = `refused-${randomUUID()}`;
  refused(await refusal({ 'X-Correlation-Id': refusedCorrelation }), rule);
  expect(await countWhere('property.events', propertyId)).toBe(events);
  expect(await countWhere('property.outbox', propertyId)).toBe(outbox);
  const marker = `marker-${randomUUID()}`;
  const allowed = await as(seller, 'property')('POST', '/properties', listing(), {
    'X-Correlation-Id': marker,
  });
  expect(allowed.status).toBe(201);
  const seen = await readUntil(
    'property.events',
    from,
    (messages) => messages.some((m) => m.headers.correlationId === marker),
    30_000,
  );
  expect(seen.filter((m) => m.headers.correlationId === refusedCorrelation)).toEqual([]);
}

async function listedBy(owner: Identity): Promise<string> {
  const listed = await as(owner, 'property')('POST', '/properties', listing());
  expect(listed.status).toBe(201);
  return listed.body.id as string;
}

async function offerOn(propertyId: string, by: Identity, amount = 600_000): Promise<string> {
  const offer = await as(by, 'property')('POST', `/properties/${propertyId}/offers`, {
    amount: { amount, currency: 'EUR' },
  });
  expect(offer.status).toBe(201);
  return offer.body.offerId as string;
}

describe('property service rules', () => {
  it('list-as-seller-or-agent: sellers and agents list; a buyer is refused and nothing is written', async () => {
    expect((await as(seller, 'property')('POST', '/properties', listing())).status).toBe(201);
    expect((await as(agent, 'property')('POST', '/properties', listing())).status).toBe(201);
    const before = await endOffsets('property.events');
    const attempt = await as(buyer, 'property')('POST', '/properties', listing());
    refused(attempt, 'list-as-seller-or-agent');
    expect(attempt.body.id).toBeUndefined();
    expect((await as(undefined, 'property')('POST', '/properties', listing())).status).toBe(401);
    expect(before.length).toBeGreaterThan(0);
  });

  it('listing-owner-only: price, details, withdraw, relist, accept and reject by another are refused and write nothing', async () => {
    const id = await listedBy(seller);
    const offerId = await offerOn(id, buyer);
    const notOwner = as(agent, 'property');
    const attempts: Array<[string, unknown]> = [
      [`/properties/${id}/price`, { price: { amount: 1, currency: 'EUR' } }],
      [`/properties/${id}/details`, { bedrooms: 9 }],
      [`/properties/${id}/withdraw`, {}],
      [`/properties/${id}/relist`, {}],
      [`/properties/${id}/offers/${offerId}/accept`, {}],
      [`/properties/${id}/offers/${offerId}/reject`, {}],
    ];
    for (const [path, body] of attempts) {
      await refusedWritesNothing(
        id,
        (headers) => notOwner('POST', path, body, headers),
        'listing-owner-only',
      );
    }
    expect(
      (
        await as(seller, 'property')('POST', `/properties/${id}/price`, {
          price: { amount: 610_000, currency: 'EUR' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await as(seller, 'property')('POST', `/properties/${id}/offers/${offerId}/accept`, {})).status,
    ).toBe(200);
  });

  it('offer-as-buyer and offer-buyer-is-caller: only a buyer offers, in their own name', async () => {
    const id = await listedBy(seller);
    await refusedWritesNothing(
      id,
      (headers) =>
        as(seller, 'property')(
          'POST',
          `/properties/${id}/offers`,
          { amount: { amount: 1, currency: 'EUR' } },
          headers,
        ),
      'offer-as-buyer',
    );
    await refusedWritesNothing(
      id,
      (headers) =>
        as(otherBuyer, 'property')(
          'POST',
          `/properties/${id}/offers`,
          { buyerId: buyer.subject, amount: { amount: 1, currency: 'EUR' } },
          headers,
        ),
      'offer-buyer-is-caller',
    );
    const own = await as(buyer, 'property')('POST', `/properties/${id}/offers`, {
      buyerId: buyer.subject,
      amount: { amount: 500_000, currency: 'EUR' },
    });
    expect(own.status).toBe(201);
  });

  it('offer-buyer-only: an offer is withdrawn by its buyer alone', async () => {
    const id = await listedBy(seller);
    const offerId = await offerOn(id, buyer);
    await refusedWritesNothing(
      id,
      (headers) =>
        as(otherBuyer, 'property')('POST', `/properties/${id}/offers/${offerId}/withdraw`, {}, headers),
      'offer-buyer-only',
    );
    expect(
      (await as(buyer, 'property')('POST', `/properties/${id}/offers/${offerId}/withdraw`, {})).status,
    ).toBe(200);
  });

  it("GET /properties/:id and its events show a buyer's id only to the owner and that buyer", async () => {
    const id = await listedBy(seller);
    const mine = await offerOn(id, buyer);
    const theirs = await offerOn(id, otherBuyer, 610_000);
    const buyersSeenBy = async (viewer: Identity | undefined) => {
      const state = await as(viewer, 'property')('GET', `/properties/${id}`);
      expect(state.status).toBe(200);
      return Object.fromEntries(
        (state.body.offers as Array<{ offerId: string; buyerId: string | null }>).map((o) => [
          o.offerId,
          o.buyerId,
        ]),
      );
    };
    expect(await buyersSeenBy(undefined)).toEqual({ [mine]: null, [theirs]: null });
    expect(await buyersSeenBy(seller)).toEqual({ [mine]: buyer.subject, [theirs]: otherBuyer.subject });
    expect(await buyersSeenBy(buyer)).toEqual({ [mine]: buyer.subject, [theirs]: null });
    const history = await as(undefined, 'property')('GET', `/properties/${id}/events`);
    const offers = (
      history.body.events as Array<{
        type: string;
        data: { buyerId?: string | null };
        metadata: { actor: string | null };
      }>
    ).filter((e) => e.type === 'OfferReceived');
    expect(offers.map((e) => [e.data.buyerId, e.metadata.actor])).toEqual([
      [null, null],
      [null, null],
    ]);
    const asOwner = await as(seller, 'property')('GET', `/properties/${id}/events`);
    expect(JSON.stringify(asOwner.body)).toContain(otherBuyer.subject);
  });
});

describe('purchase rules', () => {
  it('purchase-by-offer-buyer, purchase-buyer-is-caller and purchase-parties-only', async () => {
    const terms = await saga.acceptedOffer(300_000, 300_000);
    const start = (identity: Identity, body: object) =>
      as(identity, 'transaction')('POST', '/transactions', body, {
        'X-Consistency-Token': terms.consistencyToken,
      });
    const stranger = await freshUser('buyer');
    refused(
      await start(stranger, { propertyId: terms.propertyId, offerId: terms.offerId }),
      'purchase-by-offer-buyer',
    );
    refused(
      await start(terms.buyer, {
        propertyId: terms.propertyId,
        offerId: terms.offerId,
        buyerId: stranger.subject,
      }),
      'purchase-buyer-is-caller',
    );
    expect(
      (await saga.api.transaction('GET', `/transactions?propertyId=${terms.propertyId}`)).body.transactions,
    ).toEqual([]);

    const id = await saga.startPurchase(terms);
    refused(await as(stranger, 'transaction')('GET', `/transactions/${id}`), 'purchase-parties-only');
    expect(
      (await as(stranger, 'transaction')('GET', `/transactions?propertyId=${terms.propertyId}`)).body
        .transactions,
    ).toEqual([]);
    for (const party of [terms.buyer, seller, ops]) {
      expect((await as(party, 'transaction')('GET', `/transactions/${id}`)).status).toBe(200);
    }
    expect((await saga.awaitPurchase(id, ended)).status).toBe('COMPLETED');
  });
});

describe('payment rules', () => {
  it('a buyer opens and reads their own empty account; ops opens with a balance, reads any and deposits', async () => {
    const holder = await freshUser('buyer');
    const other = await freshUser('buyer');
    refused(await as(seller, 'payment')('POST', '/accounts', { currency: 'EUR' }), 'account-holder-is-buyer');
    refused(await as(holder, 'payment')('POST', '/accounts', { buyerId: other.subject }), 'own-account-only');
    refused(
      await as(holder, 'payment')('POST', '/accounts', { balance: { amount: 1_000_000, currency: 'EUR' } }),
      'opening-balance-ops-only',
    );
    expect((await as(ops, 'payment')('GET', `/accounts/${holder.subject}`)).status).toBe(404);

    const opened = await as(holder, 'payment')('POST', '/accounts', { currency: 'EUR' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ buyerId: holder.subject, balance: { amount: 0 } });
    refused(await as(other, 'payment')('GET', `/accounts/${holder.subject}`), 'own-account-only');
    refused(
      await as(holder, 'payment')('POST', `/accounts/${holder.subject}/deposits`, {
        amount: { amount: 5, currency: 'EUR' },
      }),
      'deposits-ops-only',
    );
    expect((await as(holder, 'payment')('GET', `/accounts/${holder.subject}`)).body).toMatchObject({
      balance: { amount: 0 },
    });

    const key = { 'Idempotency-Key': `deposit-${randomUUID()}` };
    const deposit = (headers: Record<string, string>) =>
      as(ops, 'payment')(
        'POST',
        `/accounts/${holder.subject}/deposits`,
        { amount: { amount: 250_000, currency: 'EUR' } },
        headers,
      );
    expect((await deposit(key)).status).toBe(201);
    const again = await deposit(key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await as(holder, 'payment')('GET', `/accounts/${holder.subject}`)).body).toMatchObject({
      balance: { amount: 250_000 },
    });
    // The largest deposit is accepted once; a balance beyond the largest amount is refused.
    const largest = { amount: { amount: 10_000_000_000_000, currency: 'EUR' } };
    const tooMuch = await as(ops, 'payment')('POST', `/accounts/${holder.subject}/deposits`, largest);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ rule: 'balance-within-maximum' });
    expect((await as(holder, 'payment')('GET', `/accounts/${holder.subject}`)).body).toMatchObject({
      balance: { amount: 250_000 },
    });
    const withBalance = await as(ops, 'payment')('POST', '/accounts', {
      buyerId: other.subject,
      balance: { amount: 10, currency: 'EUR' },
    });
    expect(withBalance.status).toBe(201);
  });
});

describe('contract and title rules', () => {
  it('compliance holds by the compliance desk, liens by the registrar; contracts and titles to their parties', async () => {
    const party = `party-${randomUUID()}`;
    refused(
      await as(ops, 'contract')('PUT', `/compliance-holds/${party}`, { reason: 'x' }),
      'compliance-holds-compliance-only',
    );
    refused(
      await as(buyer, 'contract')('DELETE', `/compliance-holds/${party}`),
      'compliance-holds-compliance-only',
    );
    const holds = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM contract.compliance_holds WHERE party_id = ${party}`.execute(
      saga.owner,
    );
    expect(holds.rows[0]?.n).toBe(0);
    expect(
      (await as(compliance, 'contract')('PUT', `/compliance-holds/${party}`, { reason: 'KYC' })).status,
    ).toBe(200);
    expect((await as(compliance, 'contract')('DELETE', `/compliance-holds/${party}`)).status).toBe(204);

    const property = `property-${randomUUID()}`;
    refused(
      await as(seller, 'title')('PUT', `/titles/${property}/liens/l1`, { reason: 'x' }),
      'liens-registrar-only',
    );
    const liens = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM title.liens WHERE property_id = ${property}`.execute(saga.owner);
    expect(liens.rows[0]?.n).toBe(0);
    expect(
      (await as(registrar, 'title')('PUT', `/titles/${property}/liens/l1`, { reason: 'mortgage' })).status,
    ).toBe(200);

    const terms = await saga.acceptedOffer(200_000, 200_000);
    const id = await saga.startPurchase(terms);
    expect((await saga.awaitPurchase(id, ended)).status).toBe('COMPLETED');
    const stranger = await freshUser('buyer');
    refused(await as(stranger, 'contract')('GET', `/contracts/${id}`), 'contract-party-or-compliance');
    refused(
      await as(stranger, 'contract')('GET', `/contracts?propertyId=${terms.propertyId}`),
      'contracts-compliance-only',
    );
    refused(await as(stranger, 'title')('GET', `/titles/${terms.propertyId}`), 'title-registrar-or-owner');
    expect((await as(terms.buyer, 'contract')('GET', `/contracts/${id}`)).status).toBe(200);
    expect((await as(terms.buyer, 'title')('GET', `/titles/${terms.propertyId}`)).body).toMatchObject({
      ownerId: terms.buyerId,
    });
  });
});

describe('the attack from the issue, replayed', () => {
  it("fails at its first step: a stranger cannot learn a buyer's id, act in their name or touch their funds", async () => {
    const victim = await freshUser('buyer');
    const attacker = await freshUser();
    expect(
      (
        await as(ops, 'payment')('POST', '/accounts', {
          buyerId: victim.subject,
          balance: { amount: 900_000, currency: 'EUR' },
        })
      ).status,
    ).toBe(201);
    const id = await listedBy(seller);
    await offerOn(id, victim, 650_000);

    // Step 1: read the buyer's id from the listing. It is not shown to strangers.
    const seen = await as(attacker, 'property')('GET', `/properties/${id}`);
    expect((seen.body.offers as Array<{ buyerId: string | null }>).map((o) => o.buyerId)).toEqual([null]);

    // Even knowing it, every further step is refused.
    refused(await as(attacker, 'property')('POST', '/properties', listing()), 'list-as-seller-or-agent');
    refused(
      await as(attacker, 'property')('POST', `/properties/${id}/offers`, {
        buyerId: victim.subject,
        amount: { amount: 650_000, currency: 'EUR' },
      }),
      'offer-as-buyer',
    );
    const offerId = (seen.body.offers as Array<{ offerId: string }>)[0]?.offerId as string;
    refused(
      await as(attacker, 'property')('POST', `/properties/${id}/offers/${offerId}/accept`, {}),
      'listing-owner-only',
    );
    refused(
      await as(attacker, 'transaction')('POST', '/transactions', {
        propertyId: id,
        offerId,
        buyerId: victim.subject,
      }),
      'purchase-buyer-is-caller',
    );
    refused(await as(attacker, 'payment')('GET', `/accounts/${victim.subject}`), 'own-account-only');
    refused(
      await as(attacker, 'payment')('POST', `/accounts/${victim.subject}/deposits`, {
        amount: { amount: 1, currency: 'EUR' },
      }),
      'deposits-ops-only',
    );
    expect(
      (await as(undefined, 'transaction')('POST', '/transactions', { propertyId: id, offerId })).status,
    ).toBe(401);

    expect((await as(victim, 'payment')('GET', `/accounts/${victim.subject}`)).body).toMatchObject({
      balance: { amount: 900_000 },
      reserved: { amount: 0 },
      reservations: [],
    });
  });
});
