import { freshUser, localUser, type Identity } from './identities';
import { listing } from './property-harness';
import { urlOf } from './service-processes';
import { waitForValue } from './wait-for';

type Json = Record<string, unknown>;

async function post(
  as: Identity,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(await as.headers()), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/**
 * A purchase through the real APIs of the test processes, by the people who would do
 * each step: the seller lists and accepts, a new buyer offers, an operator funds the
 * buyer's account, the buyer starts the purchase with the accept's consistency token.
 */
export async function startPurchaseOverHttp(
  price = 250_000,
): Promise<{ transactionId: string; buyer: Identity }> {
  const seller = await localUser('seller1');
  const ops = await localUser('ops1');
  const buyer = await freshUser('buyer');
  const listed = await post(
    seller,
    `${urlOf('property')}/properties`,
    listing({ price: { amount: price, currency: 'EUR' } }),
  );
  const propertyId = listed.body.id as string;
  const offer = await post(buyer, `${urlOf('property')}/properties/${propertyId}/offers`, {
    amount: { amount: price, currency: 'EUR' },
  });
  const offerId = offer.body.offerId as string;
  const accepted = await post(
    seller,
    `${urlOf('property')}/properties/${propertyId}/offers/${offerId}/accept`,
    {},
  );
  const account = await post(ops, `${urlOf('payment')}/accounts`, {
    buyerId: buyer.subject,
    balance: { amount: price, currency: 'EUR' },
  });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
  const started = await post(
    buyer,
    `${urlOf('transaction')}/transactions`,
    { propertyId, offerId },
    { 'X-Consistency-Token': accepted.body.consistencyToken as string },
  );
  if (started.status !== 202) throw new Error(`purchase: ${started.status} ${JSON.stringify(started.body)}`);
  return { transactionId: started.body.transactionId as string, buyer };
}

/** Polls the purchase (as its buyer) until it has ended (bounded); returns its final state. */
export async function purchaseOutcome(
  transactionId: string,
  buyer: Identity,
  timeoutMs = 120_000,
): Promise<Json> {
  let saga: Json = {};
  return waitForValue(
    () => `purchase ${transactionId} to end (still ${String(saga.status)})`,
    async () => {
      const response = await fetch(`${urlOf('transaction')}/transactions/${transactionId}`, {
        headers: await buyer.headers(),
      });
      saga = (await response.json()) as Json;
      return ['COMPLETED', 'COMPENSATED', 'FAILED'].includes(saga.status as string) ? saga : undefined;
    },
    { timeoutMs, pollMs: 250 },
  );
}
