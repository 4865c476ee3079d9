import { listing } from './property-harness';
import { urlOf } from './service-processes';

type Json = Record<string, unknown>;

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/**
 * A purchase through the real APIs of the test processes: list, offer, accept, fund the
 * buyer, start the purchase with the accept's consistency token. Returns the transaction id.
 */
export async function startPurchaseOverHttp(
  tag: string,
  price = 250_000,
): Promise<{ transactionId: string; buyerId: string }> {
  const listed = await post(
    `${urlOf('property')}/properties`,
    listing({ price: { amount: price, currency: 'EUR' } }),
  );
  const propertyId = listed.body.id as string;
  const buyerId = `fault-buyer-${tag}-${Date.now()}`;
  const offer = await post(`${urlOf('property')}/properties/${propertyId}/offers`, {
    buyerId,
    amount: { amount: price, currency: 'EUR' },
  });
  const offerId = offer.body.offerId as string;
  const accepted = await post(`${urlOf('property')}/properties/${propertyId}/offers/${offerId}/accept`, {});
  const account = await post(`${urlOf('payment')}/accounts`, {
    buyerId,
    balance: { amount: price, currency: 'EUR' },
  });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
  const started = await post(
    `${urlOf('transaction')}/transactions`,
    { propertyId, offerId, buyerId },
    { 'X-Consistency-Token': accepted.body.consistencyToken as string },
  );
  if (started.status !== 202) throw new Error(`purchase: ${started.status} ${JSON.stringify(started.body)}`);
  return { transactionId: started.body.transactionId as string, buyerId };
}

/** Polls the purchase until it has ended (bounded); returns its final state. */
export async function purchaseOutcome(transactionId: string, timeoutMs = 120_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const saga = (await (
      await fetch(`${urlOf('transaction')}/transactions/${transactionId}`)
    ).json()) as Json;
    if (['COMPLETED', 'COMPENSATED', 'FAILED'].includes(saga.status as string)) return saga;
    if (Date.now() > deadline)
      throw new Error(`purchase ${transactionId} still ${saga.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
